/** An SNS action handler: the request's parameters in, the `<{Action}Result>` members out. */
import type { RequestContext } from "../context.js";
import type { SnsParams } from "./params.js";
import type { XmlValue } from "./xml.js";

/** `undefined`: the action's response has no Result element. */
export type SnsResult = Record<string, XmlValue | undefined> | undefined;

export type SnsHandler = (params: SnsParams, ctx: RequestContext) => Promise<SnsResult>;
