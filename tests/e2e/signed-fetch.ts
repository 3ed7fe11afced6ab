/**
 * fetch, signed with SigV4 as an SDK signs (aws4fetch, the Sluice SDK's signer): for the tests
 * that speak the wire by hand. `key` picks another of the tests' keys (tests/keys.ts).
 */
import { AwsClient } from "aws4fetch";
import { MAIN_KEY } from "../keys.js";

interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

const clients = new Map<string, AwsClient>();

function client(key: Key): AwsClient {
  let signer = clients.get(key.accessKeyId + key.secretAccessKey);
  if (!signer) {
    signer = new AwsClient({ ...key, service: "sqs", region: "us-east-1", retries: 0 });
    clients.set(key.accessKeyId + key.secretAccessKey, signer);
  }
  return signer;
}

export async function signedFetch(url: string, init: RequestInit = {}, key: Key = MAIN_KEY): Promise<Response> {
  return fetch(await client(key).sign(url, init));
}
