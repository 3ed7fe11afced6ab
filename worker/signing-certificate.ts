/**
 * `GET /SimpleNotificationService-<id>.pem`: the certificate SNS notifications are signed with,
 * unauthenticated as AWS serves its own, since subscribers fetch it to verify what they receive.
 * It answers only for the id of the deployment's certificate, and only the public certificate.
 */
import { requestedCertificateId, signingMaterial, type SigningEnv } from "../durable-objects/signing/signing-material.js";

/** The route (Hono syntax); the handler checks the exact form. */
export const SIGNING_CERTIFICATE_ROUTE = "/:certificate{SimpleNotificationService-[0-9a-f]+\\.pem}";
/** The id is a hash of the certificate, so what a URL answers never changes. */
const CACHE_CONTROL = "public, max-age=31536000, immutable";

export async function signingCertificateResponse(env: SigningEnv, path: string): Promise<Response> {
  const id = requestedCertificateId(path);
  const material = id === undefined ? undefined : await signingMaterial(env);
  if (!material || material.certificateId !== id) return new Response("Not Found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(material.certificatePem, {
    headers: { "content-type": "application/x-x509-ca-cert", "cache-control": CACHE_CONTROL },
  });
}
