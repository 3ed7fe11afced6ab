/**
 * Who sent the request: every request but the public OpenAPI document must carry a valid SigV4
 * signature of a key in SLUICE_CREDENTIALS (credentials.ts). The caller's account is the key's;
 * the region is the one the client signed for (one deployment serves every region, README).
 */
import { SqsError } from "../../sdk/protocol/index.js";
import type { Env } from "../env.js";
import { loadKeys } from "./credentials.js";
import { readSignatureClaim } from "./signed-request.js";
import { verifySignature } from "./verify-signature.js";

export interface Caller {
  accountId: string;
  region: string;
  accessKeyId: string;
  service: SignedService;
}

export type SignedService = "sqs" | "sns";

export async function authenticate(
  request: Request,
  url: URL,
  body: Uint8Array,
  env: Pick<Env, "SLUICE_CREDENTIALS" | "SLUICE_LOCAL_DEV">,
  now = Date.now(),
  /** The service the request must be signed for: `sqs` everywhere but the SNS endpoint (worker/sns). */
  service: SignedService = "sqs",
): Promise<Caller> {
  const keys = loadKeys(env);
  const claim = readSignatureClaim(request, url);
  const key = keys.get(claim.accessKeyId);
  // Sluice issues no temporary credentials, so no session token can be valid.
  if (!key || claim.sessionToken !== undefined) {
    throw new SqsError("InvalidClientTokenId", "The security token included in the request is invalid.");
  }
  await verifySignature(claim, key, { method: request.method, url, headers: request.headers, body }, now, service);
  return { accountId: key.accountId, region: claim.region, accessKeyId: key.accessKeyId, service };
}
