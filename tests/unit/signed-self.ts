/** The Worker's own fetch (`SELF`), each request signed with the tests' main key, as an SDK signs it. */
import { SELF } from "cloudflare:test";
import { AwsClient } from "aws4fetch";
import { MAIN_KEY } from "../keys.js";

const signer = new AwsClient({ ...MAIN_KEY, service: "sqs", region: "us-east-1" });

export async function signedSelfFetch(url: string, init: RequestInit): Promise<Response> {
  const signed = await signer.sign(url, init);
  return SELF.fetch(signed);
}
