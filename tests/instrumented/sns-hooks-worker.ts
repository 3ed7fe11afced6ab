/**
 * TEST ONLY (the end-to-end suites under tests/e2e/sns-signing bundle it; never deployed): the
 * Worker unchanged, plus routes under /__test/sns/ that run the deployed signing code on what a
 * test sends, so a test can check what that code produces before any SNS action calls it.
 *   POST /__test/sns/sign     {fields, signatureVersion} -> the signed envelope, SigningCertURL
 *                             built from the address called
 *   POST /__test/sns/confirm  {endpoint, type, topicArn, subscriptionArn?, token,
 *                             signatureVersion, timeoutMs?} -> the confirmation message built,
 *                             signed and POSTed to `endpoint` from the Worker; what came of it
 */
import worker from "../../worker/index.js";
import type { Env } from "../../worker/env.js";
import { signNotification, type NotificationFields, type SignatureVersion } from "../../durable-objects/signing/notification-signature.js";
import { signingCertUrl, signingMaterial } from "../../durable-objects/signing/signing-material.js";
import { confirmationBody, confirmationFields, deliverHttp, type ConfirmationInput } from "../../durable-objects/topic/http-delivery.js";

export { QueueObject, QueueRegistry, SigningKeyObject, TopicObject } from "../../durable-objects/index.js";

const HOOK_PREFIX = "/__test/sns/";

async function sign(request: Request, env: Env): Promise<Response> {
  const { fields, signatureVersion } = (await request.json()) as { fields: NotificationFields; signatureVersion: SignatureVersion };
  const material = await signingMaterial(env);
  const signature = await signNotification(fields, signatureVersion, material);
  return Response.json({
    ...fields,
    SignatureVersion: signatureVersion,
    Signature: signature,
    SigningCertURL: signingCertUrl(new URL(request.url).origin, material),
  });
}

interface ConfirmRequest extends Omit<ConfirmationInput, "origin" | "messageId" | "timestamp"> {
  endpoint: string;
  signatureVersion: SignatureVersion;
  timeoutMs?: number;
}

async function confirm(request: Request, env: Env): Promise<Response> {
  const input = (await request.json()) as ConfirmRequest;
  const origin = new URL(request.url).origin;
  const material = await signingMaterial(env);
  const fields = confirmationFields({ ...input, origin, messageId: crypto.randomUUID(), timestamp: new Date() });
  const signature = await signNotification(fields, input.signatureVersion, material);
  const body = confirmationBody(fields, { signatureVersion: input.signatureVersion, signature, signingCertUrl: signingCertUrl(origin, material) });
  const delivery = {
    endpoint: input.endpoint,
    messageType: input.type,
    messageId: fields.MessageId,
    topicArn: input.topicArn,
    ...(input.subscriptionArn !== undefined && { subscriptionArn: input.subscriptionArn }),
    body,
  };
  return Response.json(await deliverHttp(delivery, input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }));
}

export default {
  fetch(request, env, ctx) {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path === `${HOOK_PREFIX}sign`) return sign(request, env);
    if (request.method === "POST" && path === `${HOOK_PREFIX}confirm`) return confirm(request, env);
    return worker.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
