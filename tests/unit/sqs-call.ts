/** Calls the Worker from inside workerd over the AWS JSON 1.0 protocol, as an SDK would. */
import { signedSelfFetch } from "./signed-self.js";

export async function sqsCall<T = Record<string, unknown>>(
  action: string,
  input: Record<string, unknown>,
): Promise<{ status: number; body: T }> {
  const response = await signedSelfFetch("http://sluice.test/", {
    method: "POST",
    headers: { "x-amz-target": `AmazonSQS.${action}`, "content-type": "application/x-amz-json-1.0" },
    body: JSON.stringify(input),
  });
  // Parsed from bytes: workerd warns when text()/json() meet a content type it does not know as text.
  const text = new TextDecoder().decode(await response.arrayBuffer());
  return { status: response.status, body: JSON.parse(text) as T };
}

export async function sqsOk<T = Record<string, unknown>>(action: string, input: Record<string, unknown>): Promise<T> {
  const { status, body } = await sqsCall<T>(action, input);
  if (status !== 200) throw new Error(`${action} failed with ${status}: ${JSON.stringify(body)}`);
  return body;
}
