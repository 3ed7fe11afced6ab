/**
 * What the request says about who sent it. Signatures are not verified yet (a later issue);
 * the region still comes from the SigV4 credential scope so ARNs match what clients expect.
 */
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from "../../sdk/protocol/index.js";

export interface Caller {
  accountId: string;
  region: string;
  accessKeyId?: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/sqs\/aws4_request/;

export function identifyCaller(headers: Headers, query?: URLSearchParams): Caller {
  const source = headers.get("authorization") ?? query?.get("X-Amz-Credential") ?? "";
  const match = CREDENTIAL.exec(source.startsWith("AWS4") ? source : `Credential=${source}`);
  return {
    accountId: DEFAULT_ACCOUNT_ID,
    region: match?.[2] ?? DEFAULT_REGION,
    accessKeyId: match?.[1],
  };
}
