/**
 * Whether a request is for the console (/console and below). Read from the URL's text, without
 * parsing it, because every API request asks: no SQS path starts with /console (queue URLs are
 * /<12 digits>/<name>, REST is /v1).
 */
const PREFIX = "/console";

export function isConsolePath(url: string): boolean {
  const scheme = url.indexOf("://");
  const pathStart = url.indexOf("/", scheme < 0 ? 0 : scheme + 3);
  if (pathStart < 0 || !url.startsWith(PREFIX, pathStart)) return false;
  const next = url.charAt(pathStart + PREFIX.length);
  return next === "" || next === "/" || next === "?" || next === "#";
}
