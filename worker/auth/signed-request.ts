/**
 * What a request claims about its signature: from the `Authorization` header, or from the
 * `X-Amz-*` parameters of a presigned URL. Only the shape is checked here (IncompleteSignature,
 * MissingAuthenticationToken); whether the claim is true is verify-signature.ts's job.
 */
import { SqsError } from "../../sdk/protocol/index.js";

export interface SignatureClaim {
  accessKeyId: string;
  /** `YYYYMMDD` of the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  /** Lower-case names, in the order the client listed them. */
  signedHeaders: string[];
  signature: string;
  /** The request's `X-Amz-Date` (`YYYYMMDDTHHMMSSZ`). */
  datetime: string;
  /** Presigned URLs only: seconds the URL stays valid after `datetime`. */
  expires?: number;
  presigned: boolean;
  sessionToken?: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const DATETIME = /^\d{8}T\d{6}Z$/;

export function readSignatureClaim(request: Request, url: URL): SignatureClaim {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) return fromHeader(authorization, request.headers);
  if (url.searchParams.has("X-Amz-Signature") || url.searchParams.has("X-Amz-Credential")) return fromQuery(url.searchParams);
  throw new SqsError("MissingAuthenticationToken", "Request is missing Authentication Token");
}

function fromHeader(authorization: string, headers: Headers): SignatureClaim {
  const space = authorization.indexOf(" ");
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw new SqsError(
      "IncompleteSignature",
      `Unsupported AWS 'algorithm': '${algorithm}'. Sluice accepts Signature Version 4 (${ALGORITHM}) only.`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ["Credential", "SignedHeaders", "Signature"].filter((name) => !fields.get(name));
  const datetime = headers.get("x-amz-date") ?? "";
  if (!DATETIME.test(datetime)) missing.push("X-Amz-Date");
  if (missing.length > 0) {
    throw new SqsError(
      "IncompleteSignature",
      missing
        .map((name) =>
          name === "X-Amz-Date"
            ? "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
            : `Authorization header requires '${name}' parameter.`,
        )
        .join(" ") + ` Authorization=${authorization}`,
    );
  }
  return {
    ...credentialScope(fields.get("Credential")!, `Authorization=${authorization}`),
    signedHeaders: fields.get("SignedHeaders")!.toLowerCase().split(";"),
    signature: fields.get("Signature")!,
    datetime,
    presigned: false,
    sessionToken: headers.get("x-amz-security-token") ?? undefined,
  };
}

function fromQuery(params: URLSearchParams): SignatureClaim {
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
  const datetime = params.get("X-Amz-Date")!;
  if (!DATETIME.test(datetime)) {
    throw new SqsError("IncompleteSignature", `Date must be in ISO-8601 'basic format'. Got '${datetime}'.`);
  }
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
    signedHeaders: params.get("X-Amz-SignedHeaders")!.toLowerCase().split(";"),
    signature: params.get("X-Amz-Signature")!,
    datetime,
    expires,
    presigned: true,
    sessionToken: params.get("X-Amz-Security-Token") ?? undefined,
  };
}

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
