/**
 * RedrivePolicy and RedriveAllowPolicy checks that need another queue: the dead-letter target
 * must exist, be of the same type, and allow this source.
 */
import { SqsErrors, type StringMap } from "../sdk/protocol/index.js";
import {
  allowsSource,
  parseRedriveAllowPolicy,
  parseRedrivePolicy,
} from "../durable-objects/queue/redrive-policy.js";
import type { RequestContext } from "./context.js";
import { parseQueueArn, queueStub, registryStub } from "./queue-url.js";

export interface RedriveSource {
  name: string;
  fifo: boolean;
  arn: string;
}

/** Validates the redrive attributes among `attributes` and returns them normalised. */
export async function checkRedriveAttributes(
  ctx: RequestContext,
  source: RedriveSource,
  attributes: StringMap,
): Promise<StringMap> {
  const out = { ...attributes };
  const rawAllow = attributes.RedriveAllowPolicy;
  if (rawAllow) out.RedriveAllowPolicy = JSON.stringify(parseRedriveAllowPolicy(rawAllow));
  const raw = attributes.RedrivePolicy;
  if (!raw) return out;
  const policy = parseRedrivePolicy(raw);
  const reason = (text: string) => SqsErrors.invalidParameter("RedrivePolicy", raw, text);
  const ref = parseQueueArn(policy.deadLetterTargetArn);
  // AWS: the dead-letter queue must be in the source's account, whatever its
  // policy grants. Refused before it is looked up, so another account's queues stay unprobed.
  if (ref && ref.accountId !== ctx.accountId) {
    throw reason("Dead-letter target must be in the same account as the source queue.");
  }
  const target = ref && (await queueStub(ctx, ref).describe());
  if (!target?.ok) throw reason("Dead letter target does not exist.");
  if (target.value.fifo !== source.fifo) {
    throw reason("Dead-letter target queue must be of the same type as the source queue (FIFO or standard).");
  }
  const allow = target.value.attributes.RedriveAllowPolicy;
  if (allow && !allowsSource(parseRedriveAllowPolicy(allow), source.arn)) {
    throw reason(`Queue ${source.arn} is not allowed as a source by the RedriveAllowPolicy of ${target.value.arn}.`);
  }
  out.RedrivePolicy = JSON.stringify(policy);
  return out;
}

/** Keeps the registry's dead-letter source index in step with a RedrivePolicy just stored. */
export async function recordRedrive(ctx: RequestContext, source: string, attributes: StringMap): Promise<void> {
  if (!("RedrivePolicy" in attributes)) return;
  const raw = attributes.RedrivePolicy;
  const target = raw ? parseRedrivePolicy(raw).deadLetterTargetArn : undefined;
  await registryStub(ctx, ctx.accountId).setDeadLetterTarget(source, target);
}
