/**
 * MD5 verification of what crossed the wire, on the AWS-cased request and
 * result: the server hashes exactly the bytes it stored, so any difference means the body or
 * attributes were altered in transit, or the server mishandled them.
 */
import { ChecksumMismatchError } from "./errors.js";
import type { ActionName, Requests, Results, SendMessageResult } from "./protocol/actions.js";
import { md5Hex, md5OfMessageAttributes } from "./protocol/md5.js";

type Sent = Omit<Requests["SendMessage"], "QueueUrl">;

export function verifyChecksums<A extends ActionName>(action: A, request: Requests[A], result: Results[A]): void {
  if (action === "SendMessage") {
    checkSent("message", request as Sent, result as SendMessageResult);
  } else if (action === "SendMessageBatch") {
    const entries = new Map((request as Requests["SendMessageBatch"]).Entries.map((e) => [e.Id, e]));
    for (const sent of (result as Results["SendMessageBatch"]).Successful ?? []) {
      const entry = entries.get(sent.Id);
      if (entry) checkSent(`batch entry ${sent.Id}`, entry, sent);
    }
  } else if (action === "ReceiveMessage") {
    for (const m of (result as Results["ReceiveMessage"]).Messages ?? []) {
      const what = `message ${m.MessageId}`;
      check(`${what} body`, md5Hex(m.Body), m.MD5OfBody);
      check(`${what} attributes`, md5OfMessageAttributes(m.MessageAttributes), m.MD5OfMessageAttributes);
    }
  }
}

// SQS omits an attributes MD5 when no attributes were sent, and md5OfMessageAttributes({}) is undefined too.
function checkSent(what: string, sent: Sent, result: SendMessageResult): void {
  check(`${what} body`, md5Hex(sent.MessageBody), result.MD5OfMessageBody);
  check(`${what} attributes`, md5OfMessageAttributes(sent.MessageAttributes), result.MD5OfMessageAttributes);
  check(`${what} system attributes`, md5OfMessageAttributes(sent.MessageSystemAttributes), result.MD5OfMessageSystemAttributes);
}

function check(what: string, expected: string | undefined, actual: string | undefined): void {
  if (expected !== actual) {
    throw new ChecksumMismatchError(`MD5 of ${what} is ${actual ?? "missing"}, expected ${expected ?? "none"}`, expected, actual);
  }
}
