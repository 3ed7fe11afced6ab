import { parseAnyArn } from "../arns.js";
import { SnsErrors } from "../errors.js";
import type { SnsHandler } from "../handler.js";
import type { SnsParams } from "../params.js";
import { unwrap, usableTopic } from "../topic-stub.js";

/** Stored and answered back; Sluice applies no data-protection rules to messages. */
function topicOf(params: SnsParams) {
  const ref = parseAnyArn(params.required("ResourceArn"));
  if (!ref || "id" in ref) throw SnsErrors.invalidParameter("ResourceArn");
  return ref;
}

export const getDataProtectionPolicy: SnsHandler = async (params, ctx) => {
  const ref = topicOf(params);
  const policy = unwrap(await (await usableTopic(ctx, ref, "GetDataProtectionPolicy")).getDataProtectionPolicy());
  return { DataProtectionPolicy: policy === "" ? undefined : policy };
};

export const putDataProtectionPolicy: SnsHandler = async (params, ctx) => {
  const ref = topicOf(params);
  const policy = params.required("DataProtectionPolicy");
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw SnsErrors.invalidParameter("DataProtectionPolicy");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw SnsErrors.invalidParameter("DataProtectionPolicy");
  unwrap(await (await usableTopic(ctx, ref, "PutDataProtectionPolicy")).putDataProtectionPolicy(policy));
  return undefined;
};
