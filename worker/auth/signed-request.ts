/**
 * What a request claims about its signature: from the `Authorization` header, or from the
 * `X-Amz-*` parameters of a presigned URL. This is the one reading of a request's signature: every
 * value the checks and the canonical request use (the date, the signed headers and their values)
 * is read here, once, so no later step can see the request differently from the checks.
 *
 * It is as strict as AWS's parser where AWS refuses (the messages are AWS's), and stricter where
 * a lenient reading would let a proxy and the verifier disagree on what was signed: a repeated
 * or unknown Authorization parameter, a repeated presigned-URL parameter, a header-signed request
 * that also carries presigned-URL parameters, and a SignedHeaders list naming a header the
 * request does not carry are all refused.
 * Shape errors are IncompleteSignature (or MissingAuthenticationToken); a SignedHeaders list that
 * cannot describe the request is SignatureDoesNotMatch, the answer its signature would get.
 * Whether the claim is true is verify-signature.ts's job.
 */
import { SqsError } from "../../sdk/protocol/index.js";
import { parseHttpDate } from "./http-date.js";

export interface SignatureClaim {
  accessKeyId: string;
  /** `YYYYMMDD` of the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  /** Lower-case names, sorted and distinct, exactly as the client listed them. */
  signedHeaders: string[];
  /** The value of each signed header but `host` (whose value is the URL's), as read once here. */
  signedValues: Map<string, string>;
  signature: string;
  /** When the request was signed, `YYYYMMDDTHHMMSSZ`: its X-Amz-Date, or its `Date` header. */
  datetime: string;
  /** Presigned URLs only: seconds the URL stays valid after `datetime`. */
  expires?: number;
  presigned: boolean;
  sessionToken?: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const DATETIME = /^\d{8}T\d{6}Z$/;
const HEADER_PARAMETERS = ["Credential", "SignedHeaders", "Signature"] as const;
/** The presigned-URL parameters that make up the claim: each may appear at most once. */
const QUERY_PARAMETERS = [
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-SignedHeaders",
  "X-Amz-Signature",
  "X-Amz-Security-Token",
] as const;
/** A lower-case HTTP header name (RFC 9110 token); anything else names no header a request can carry. */
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

export function readSignatureClaim(request: Request, url: URL): SignatureClaim {
  const authorization = request.headers.get("authorization");
  const params = url.searchParams;
  const presignedParams = params.has("X-Amz-Algorithm") || params.has("X-Amz-Signature") || params.has("X-Amz-Credential");
  if (authorization !== null) {
    // Two claims in one request: which one is "the" signature would depend on who reads it.
    if (presignedParams) throw new SqsError("SignatureDoesNotMatch", MISMATCH);
    return fromHeader(authorization, request.headers);
  }
  if (presignedParams) return fromQuery(params, request.headers);
  throw new SqsError("MissingAuthenticationToken", "Request is missing Authentication Token");
}

/**
 * `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. AWS splits the parameters at
 * commas and white space. Two Authorization headers reach the Worker joined by a comma, so a
 * second header shows up here as an extra (or unknown, or repeated) parameter and is refused.
 */
function fromHeader(authorization: string, headers: Headers): SignatureClaim {
  const space = authorization.indexOf(" ");
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw new SqsError(
      "IncompleteSignature",
      `Unsupported AWS 'algorithm': '${algorithm}'. Sluice accepts Signature Version 4 (${ALGORITHM}) only.`,
    );
  }
  const parts = space < 0 ? [] : authorization.slice(space + 1).split(/[\s,]+/).filter((part) => part !== "");
  const notPair = parts.find((part) => !part.includes("="));
  if (notPair !== undefined) {
    throw new SqsError(
      "IncompleteSignature",
      `'${notPair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of parts) {
    const eq = part.indexOf("=");
    const name = part.slice(0, eq);
    if (!(HEADER_PARAMETERS as readonly string[]).includes(name)) {
      throw new SqsError(
        "IncompleteSignature",
        `'${part}' is not a parameter of a SigV4 Authorization header (${HEADER_PARAMETERS.join(", ")}) in Authorization header: '${authorization}'.`,
      );
    }
    if (fields.has(name)) {
      throw new SqsError("IncompleteSignature", `'${name}' appears more than once in Authorization header: '${authorization}'.`);
    }
    fields.set(name, part.slice(eq + 1));
  }
  // AWS takes X-Amz-Date first and the Date header only when there is no X-Amz-Date.
  const amzDate = headers.get("x-amz-date");
  const dateHeader = amzDate ?? headers.get("date");
  const missing: string[] = [];
  if (!fields.get("Credential")) missing.push("Authorization header requires 'Credential' parameter.");
  if (!fields.get("Signature")) missing.push("Authorization header requires 'Signature' parameter.");
  if (!fields.get("SignedHeaders")) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (dateHeader === null) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (missing.length > 0) throw new SqsError("IncompleteSignature", `${missing.join(" ")} Authorization=${algorithm}`);

  const signed = readSignedHeaders(fields.get("SignedHeaders")!, headers);
  const datetime = amzDate !== null ? (DATETIME.test(amzDate) ? amzDate : undefined) : parseHttpDate(dateHeader!);
  if (datetime === undefined) throw notIsoDate(dateHeader!);
  return {
    ...credentialScope(fields.get("Credential")!, `Authorization=${authorization}`),
    ...signed,
    signature: fields.get("Signature")!,
    datetime,
    presigned: false,
    sessionToken: headers.get("x-amz-security-token") ?? undefined,
  };
}

function fromQuery(params: URLSearchParams, headers: Headers): SignatureClaim {
  const repeated = QUERY_PARAMETERS.find((name) => params.getAll(name).length > 1);
  if (repeated !== undefined) {
    throw new SqsError(
      "IncompleteSignature",
      `AWS query-string parameters must include '${repeated}' only once. Re-examine the query-string parameters.`,
    );
  }
  const names = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"];
  const missing = names.filter((name) => !params.get(name));
  if (missing.length > 0) {
    throw new SqsError(
      "IncompleteSignature",
      missing.map((name) => `AWS query-string parameters must include '${name}'.`).join(" ") + " Re-examine the query-string parameters.",
    );
  }
  if (params.get("X-Amz-Algorithm") !== ALGORITHM) {
    throw new SqsError("IncompleteSignature", `Unsupported AWS 'algorithm': '${params.get("X-Amz-Algorithm")}'.`);
  }
  const signed = readSignedHeaders(params.get("X-Amz-SignedHeaders")!, headers);
  const datetime = params.get("X-Amz-Date")!;
  if (!DATETIME.test(datetime)) throw notIsoDate(datetime);
  const expiresText = params.get("X-Amz-Expires");
  let expires: number | undefined;
  if (expiresText !== null) {
    expires = /^\d{1,7}$/.test(expiresText) ? Number(expiresText) : NaN;
    if (!(expires >= 0 && expires <= 604_800)) {
      throw new SqsError("IncompleteSignature", "X-Amz-Expires must be a whole number of seconds from 0 to 604800 (7 days).");
    }
  }
  return {
    ...credentialScope(params.get("X-Amz-Credential")!, "in the query string"),
    ...signed,
    signature: params.get("X-Amz-Signature")!,
    datetime,
    expires,
    presigned: true,
    sessionToken: params.get("X-Amz-Security-Token") ?? undefined,
  };
}

/**
 * The SignedHeaders list and the values of the headers it names. The list must be what a signer
 * writes (lower-case names, sorted, each once) and name only headers the request carries: the
 * canonical request is built from this very list, so a header claimed as signed is in it.
 */
function readSignedHeaders(list: string, headers: Headers): Pick<SignatureClaim, "signedHeaders" | "signedValues"> {
  const signedHeaders = list.split(";");
  if (!signedHeaders.includes("host")) {
    throw new SqsError("SignatureDoesNotMatch", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const signedValues = new Map<string, string>();
  for (let i = 0; i < signedHeaders.length; i++) {
    const name = signedHeaders[i]!;
    if (!HEADER_NAME.test(name) || (i > 0 && signedHeaders[i - 1]! >= name)) throw new SqsError("SignatureDoesNotMatch", MISMATCH);
    if (name === "host") continue;
    const value = headers.get(name);
    if (value === null) throw new SqsError("SignatureDoesNotMatch", MISMATCH);
    signedValues.set(name, value);
  }
  return { signedHeaders, signedValues };
}

const notIsoDate = (text: string) =>
  new SqsError("IncompleteSignature", `Date must be in ISO-8601 'basic format'. Got '${text}'. See http://en.wikipedia.org/wiki/ISO_8601`);

/** `AKID/20150830/us-east-1/sqs/aws4_request`. */
function credentialScope(credential: string, where: string) {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts.some((part) => part === "") || parts[4] !== "aws4_request" || !/^\d{8}$/.test(parts[1]!)) {
    throw new SqsError(
      "IncompleteSignature",
      `Credential should be scoped to a valid region, service and date: 'ACCESSKEY/YYYYMMDD/REGION/sqs/aws4_request'. Got '${credential}' ${where}.`,
    );
  }
  return { accessKeyId: parts[0]!, scopeDate: parts[1]!, region: parts[2]!, service: parts[3]! };
}
