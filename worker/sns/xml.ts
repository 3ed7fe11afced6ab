/**
 * SNS's Query responses: XML in SNS's namespace. Unlike SQS's, SNS's lists are wrapped
 * (`<Topics><member>…</member></Topics>`) and its maps are `<entry><key/><value/></entry>`
 * (tags are a list of `{Key, Value}` members). A handler answers with plain values: an array is
 * a wrapped list, an `EntryMap` a map, an object a structure, anything else text.
 */
import type { SqsError } from "../../sdk/protocol/index.js";
import { escapeXml } from "../protocol/xml.js";
import { snsCode } from "./errors.js";

export const SNS_XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";

/** A map rendered as SNS renders attribute maps. */
export class EntryMap {
  constructor(readonly entries: Record<string, string>) {}
}

export type XmlValue = string | number | boolean | EntryMap | XmlValue[] | { [name: string]: XmlValue | undefined };

/** `result` undefined: an action whose response has no `<{Action}Result>` element. */
export function encodeSnsResult(action: string, result: Record<string, XmlValue | undefined> | undefined, requestId: string): Response {
  const output = result === undefined ? "" : element(`${action}Result`, members(result));
  const metadata = element("ResponseMetadata", element("RequestId", escapeXml(requestId)));
  return xmlResponse(200, requestId, `<${action}Response xmlns="${SNS_XMLNS}">${output}${metadata}</${action}Response>`);
}

export function encodeSnsError(error: SqsError, requestId: string): Response {
  const { code, status } = snsCode(error);
  const detail = element("Type", error.spec.fault) + element("Code", escapeXml(code)) + element("Message", escapeXml(error.message));
  const body = `<ErrorResponse xmlns="${SNS_XMLNS}">${element("Error", detail)}${element("RequestId", escapeXml(requestId))}</ErrorResponse>`;
  return xmlResponse(status, requestId, body);
}

function xmlResponse(status: number, requestId: string, body: string): Response {
  return new Response(`<?xml version="1.0"?>\n${body}`, {
    status,
    headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
  });
}

function members(value: Record<string, XmlValue | undefined>): string {
  let xml = "";
  for (const [name, member] of Object.entries(value)) {
    if (member !== undefined) xml += element(name, content(member));
  }
  return xml;
}

function content(value: XmlValue): string {
  if (Array.isArray(value)) return value.map((item) => element("member", content(item))).join("");
  if (value instanceof EntryMap) {
    return Object.entries(value.entries)
      .map(([k, v]) => element("entry", element("key", escapeXml(k)) + element("value", escapeXml(v))))
      .join("");
  }
  if (typeof value === "object") return members(value);
  return escapeXml(String(value));
}

function element(name: string, text: string): string {
  return text === "" ? `<${name}/>` : `<${name}>${text}</${name}>`;
}
