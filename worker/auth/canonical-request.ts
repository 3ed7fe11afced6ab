/**
 * SigV4's canonical request and string to sign, built only from the parsed claim
 * (signed-request.ts) and the request's method and URL: the signed headers are exactly the
 * claim's list with the values the parser read, so what is verified is what was checked.
 * The canonicalisation is aws4fetch's for a service other than S3 (the signer the Sluice SDK and
 * the tests sign with); tests/unit/sigv4-vectors.test.ts holds the two to the same results.
 */
import type { SignatureClaim } from "./signed-request.js";

export function canonicalRequest(method: string, url: URL, claim: SignatureClaim, payloadHash: string): string {
  let headers = "";
  // The signed host is the URL's: on Cloudflare it is the Host header, and a local front
  // (Miniflare's dispatchFetch) rewrites the header but keeps the URL the client called.
  for (const name of claim.signedHeaders) {
    const value = name === "host" ? url.host : claim.signedValues.get(name)!.replace(/\s+/g, " ");
    headers += `${name}:${value}\n`;
  }
  return [method, canonicalPath(url), canonicalQuery(url, claim.presigned), headers, claim.signedHeaders.join(";"), payloadHash].join("\n");
}

export function stringToSign(claim: SignatureClaim, canonicalRequestHash: string): string {
  const scope = `${claim.datetime.slice(0, 8)}/${claim.region}/${claim.service}/aws4_request`;
  return `AWS4-HMAC-SHA256\n${claim.datetime}\n${scope}\n${canonicalRequestHash}`;
}

/** The path as sent (already percent-encoded), encoded once more, with runs of `/` as one. */
function canonicalPath(url: URL): string {
  return encodeRfc3986(encodeURIComponent(url.pathname.replace(/\/+/g, "/")).replace(/%2F/g, "/"));
}

/** Every parameter with a name, encoded and sorted by name, then value; a presigned URL's signature left out. */
function canonicalQuery(url: URL, presigned: boolean): string {
  const pairs: [string, string][] = [];
  for (const [name, value] of url.searchParams) {
    if (name === "" || (presigned && name === "X-Amz-Signature")) continue;
    pairs.push([encodeRfc3986(encodeURIComponent(name)), encodeRfc3986(encodeURIComponent(value))]);
  }
  pairs.sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0));
  return pairs.map((pair) => pair.join("=")).join("&");
}

/** encodeURIComponent leaves `!'()*` alone; SigV4 encodes every character but unreserved ones. */
const encodeRfc3986 = (text: string) => text.replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
