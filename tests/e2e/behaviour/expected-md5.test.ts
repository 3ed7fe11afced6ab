import { expect, it } from "vitest";
import { expectedAttributesMd5, expectedBodyMd5 } from "./expected-md5.js";

// The suite's MD5 assertions are only as good as this helper: check it on AWS-recorded vectors.
it("computes the MD5s AWS recorded", () => {
  expect(expectedBodyMd5("hello")).toBe("5d41402abc4b2a76b9719d911017c592");
  expect(expectedAttributesMd5({ MyAttribute: { DataType: "String", StringValue: "foobar" } })).toBe(
    "adb59cd4678ea5a855436b949cd07ab6",
  );
  expect(
    expectedAttributesMd5({
      General: { DataType: "String", StringValue: "Kenobi" },
      Hello: { DataType: "String", StringValue: "There" },
      "Help.Me": { DataType: "String", StringValue: "Me" },
    }),
  ).toBe("4c360f3fdafd970e05fae2f149d997f5");
  const trace = Buffer.from("traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01", "latin1");
  expect(expectedAttributesMd5({ attr1: { DataType: "Binary", BinaryValue: trace } })).toBe(
    "8cbe4db156db8a94db8b801b7addb984",
  );
});
