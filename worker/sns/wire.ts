/**
 * The SNS wire as the Worker's error handler sees it: only `error` is ever called for it, since
 * serve.ts decodes and answers SNS requests itself (their actions are not SQS's).
 */
import type { Wire } from "../protocol/wire.js";
import { encodeSnsError } from "./xml.js";

const notDecodedHere = (): never => {
  throw new Error("SNS requests are decoded and answered by worker/sns/serve.ts");
};

export const snsWire: Wire = { decode: notDecodedHere, result: notDecodedHere, error: encodeSnsError };
