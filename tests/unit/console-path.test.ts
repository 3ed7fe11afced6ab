/** Which requests the Worker hands to the console: /console and below, nothing else. */
import { describe, expect, it } from "vitest";
import { isConsolePath } from "../../worker/console-path.js";

describe("isConsolePath", () => {
  it("takes /console, its pages and its query strings", () => {
    for (const url of [
      "https://sqs.example.com/console",
      "https://sqs.example.com/console/",
      "https://sqs.example.com/console/queues/orders",
      "http://127.0.0.1:8787/console?x=1",
    ]) {
      expect(isConsolePath(url)).toBe(true);
    }
  });

  it("leaves every API path to the API, also ones that merely start alike", () => {
    for (const url of [
      "https://sqs.example.com/",
      "https://sqs.example.com/?Action=ListQueues",
      "https://sqs.example.com/000000000000/console",
      "https://sqs.example.com/consoles",
      "https://sqs.example.com/console-queue",
      "https://sqs.example.com/v1/queues",
      "https://sqs.example.com/metrics/console",
      "https://console.example.com/",
    ]) {
      expect(isConsolePath(url)).toBe(false);
    }
  });
});
