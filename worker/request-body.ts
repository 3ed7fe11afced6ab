/**
 * The one place a request's body is read, before any signature work. It is capped above the
 * largest valid request (a 1 MiB batch; the Query protocol's percent-encoding at most triples
 * it, JSON's escapes at most double it) so a huge body is refused before it is read whole, and a body that ends before its Content-Length (the client
 * half-closed) is the client's fault: a 400 in the caller's protocol, not an internal error.
 */
import { SqsError, SqsErrors } from "../sdk/protocol/index.js";

/** Far beyond any valid request; bigger bodies are refused unread. */
export const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

const tooLarge = () =>
  SqsErrors.invalidParameterValue(`The request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes.`);

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * The body as text. Every protocol's body is UTF-8 (a form's other bytes are percent-escaped);
 * bytes that are not would otherwise be replaced, so a message would be stored other than sent.
 */
export function bodyText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw SqsErrors.malformedInput("The request body is not valid UTF-8.");
  }
}

/** The raw bytes of a request's body (empty for GET and HEAD). */
export async function readRequestBody(request: Request): Promise<Uint8Array> {
  if (request.method === "GET" || request.method === "HEAD" || request.body === null) return new Uint8Array();
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > MAX_REQUEST_BODY_BYTES) throw tooLarge();
  // A declared length within the cap bounds what is read: take it whole, natively.
  if (Number.isFinite(declared)) return readDeclared(request, declared);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      // Chunked bodies have no Content-Length: count while streaming.
      if (size > MAX_REQUEST_BODY_BYTES) throw tooLarge();
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof SqsError) throw error;
    throw SqsErrors.malformedInput("The request body ended before its Content-Length.");
  } finally {
    reader.releaseLock();
  }
  if (Number.isFinite(declared) && size < declared) {
    throw SqsErrors.malformedInput("The request body ended before its Content-Length.");
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

async function readDeclared(request: Request, declared: number): Promise<Uint8Array> {
  let body: Uint8Array;
  try {
    body = new Uint8Array(await request.arrayBuffer());
  } catch {
    throw SqsErrors.malformedInput("The request body ended before its Content-Length.");
  }
  if (body.byteLength < declared) throw SqsErrors.malformedInput("The request body ended before its Content-Length.");
  return body;
}
