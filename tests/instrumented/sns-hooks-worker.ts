/**
 * TEST ONLY (the end-to-end suites under tests/e2e/sns-signing bundle it; never deployed): the
 * Worker unchanged, plus routes under /__test/sns/ that run the deployed signing code on what a
 * test sends, so a test can check what that code produces before any SNS action calls it.
 *   POST /__test/sns/sign   {fields, signatureVersion} -> the signed envelope, SigningCertURL
 *                           built from the address called
 */
import worker from "../../worker/index.js";
import type { Env } from "../../worker/env.js";
import { signNotification, type NotificationFields, type SignatureVersion } from "../../durable-objects/signing/notification-signature.js";
import { signingCertUrl, signingMaterial } from "../../durable-objects/signing/signing-material.js";

export { QueueObject, QueueRegistry, SigningKeyObject } from "../../durable-objects/index.js";

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

export default {
  fetch(request, env, ctx) {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path === `${HOOK_PREFIX}sign`) return sign(request, env);
    return worker.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
