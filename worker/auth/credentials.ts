/**
 * The deployment's access keys. In a deployment they come from the `SLUICE_CREDENTIALS` Worker
 * secret only: without it every request is refused, never served open. Local runners (npm start,
 * npm run dev, the e2e tests) set `SLUICE_LOCAL_DEV=1`, and only there does a missing
 * secret fall back to the documented local key pair `local` / `local` (account 000000000000).
 */
import { DEFAULT_ACCOUNT_ID, SqsError } from "../../sdk/protocol/index.js";
import type { Env } from "../env.js";

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  name?: string;
}

export type KeyStore = ReadonlyMap<string, AccessKey>;

export const LOCAL_KEY: AccessKey = {
  accessKeyId: "local",
  secretAccessKey: "local",
  accountId: DEFAULT_ACCOUNT_ID,
  name: "local development (SLUICE_LOCAL_DEV, no SLUICE_CREDENTIALS)",
};

/** Parsed once per isolate: the secret's text is the cache key, so a changed secret is re-read. */
let cached: { source: string | undefined; local: boolean; result: KeyStore | Error } | undefined;
let warnedLocal = false;

export function loadKeys(env: Pick<Env, "SLUICE_CREDENTIALS" | "SLUICE_LOCAL_DEV">): KeyStore {
  const source = env.SLUICE_CREDENTIALS;
  const local = env.SLUICE_LOCAL_DEV === "1";
  if (!cached || cached.source !== source || cached.local !== local) {
    cached = { source, local, result: build(source, local) };
  }
  if (cached.result instanceof Error) throw cached.result;
  return cached.result;
}

function build(source: string | undefined, local: boolean): KeyStore | Error {
  if (source === undefined || source.trim() === "") {
    if (!local) {
      return new SqsError(
        "InvalidClientTokenId",
        "This Sluice deployment has no access keys: set the SLUICE_CREDENTIALS secret (wrangler secret put SLUICE_CREDENTIALS). Every request is refused until then.",
      );
    }
    if (!warnedLocal) {
      warnedLocal = true;
      console.warn(
        "[sluice] LOCAL DEVELOPMENT AUTH: no SLUICE_CREDENTIALS, accepting only the key pair local/local (account 000000000000)",
      );
    }
    return new Map([[LOCAL_KEY.accessKeyId, LOCAL_KEY]]);
  }
  try {
    return parseKeys(source);
  } catch (error) {
    console.error(`[sluice] ${(error as Error).message}`);
    return new SqsError("InternalError", "Sluice is misconfigured: its SLUICE_CREDENTIALS secret is not valid. The operator's log says why.");
  }
}

const ACCOUNT_ID = /^\d{12}$/;
const ACCESS_KEY_ID = /^[\x21-\x7e]{1,128}$/;

/** Validates the secret's JSON; throws an Error whose message names the first broken rule. */
export function parseKeys(source: string): KeyStore {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    throw new Error("SLUICE_CREDENTIALS is not JSON: expected {\"<access key id>\": {\"secretAccessKey\": \"...\", \"accountId\": \"123456789012\"}}");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error("SLUICE_CREDENTIALS must be a JSON object mapping access key ids to keys");
  }
  const keys = new Map<string, AccessKey>();
  for (const [accessKeyId, value] of Object.entries(parsed)) {
    const where = `SLUICE_CREDENTIALS["${accessKeyId}"]`;
    if (!ACCESS_KEY_ID.test(accessKeyId) || accessKeyId.includes("/")) {
      throw new Error(`${where}: an access key id is 1 to 128 printable characters without spaces or '/'`);
    }
    if (typeof value !== "object" || value === null) throw new Error(`${where} must be an object`);
    const { secretAccessKey, accountId, name } = value as Record<string, unknown>;
    if (typeof secretAccessKey !== "string" || secretAccessKey.length < 1) {
      throw new Error(`${where}.secretAccessKey must be a non-empty string`);
    }
    if (typeof accountId !== "string" || !ACCOUNT_ID.test(accountId)) {
      throw new Error(`${where}.accountId must be a string of 12 digits`);
    }
    if (name !== undefined && typeof name !== "string") throw new Error(`${where}.name must be a string`);
    keys.set(accessKeyId, { accessKeyId, secretAccessKey, accountId, name });
  }
  if (keys.size === 0) throw new Error("SLUICE_CREDENTIALS holds no access keys");
  return keys;
}
