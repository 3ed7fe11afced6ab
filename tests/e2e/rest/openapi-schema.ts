/**
 * Just enough OpenAPI 3.1 / JSON Schema to check our REST answers against the served document:
 * find the operation for a method and path, then validate status, content type and body.
 * Keywords outside the supported set are reported as errors rather than ignored, so the
 * document cannot quietly rely on something this checker does not check.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, Json>;
type Document = Record<string, Json>;

/** Checked keywords. */
const CHECKED = new Set([
  "$ref",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "oneOf",
  "anyOf",
  "minimum",
  "maximum",
  "minLength",
  "maxItems",
  "pattern",
]);
/** Annotations: no effect on validity. */
const ANNOTATIONS = new Set(["description", "examples", "title"]);
/** The single `type` names the checker knows; a `type` array (or anything else) is refused. */
const TYPES = new Set(["object", "array", "string", "integer", "number", "boolean", "null"]);

const isString = (v: Json | undefined) => typeof v === "string";
const isCount = (v: Json | undefined) => Number.isInteger(v) && (v as number) >= 0;
/** The form each checked keyword's value must have; other forms would be silently misread. */
const KEYWORD_FORMS: Record<string, (value: Json) => boolean> = {
  $ref: isString,
  type: (v) => typeof v === "string" && TYPES.has(v),
  properties: (v) => isObject(v) && Object.values(v).every(isObject),
  required: (v) => Array.isArray(v) && v.every(isString),
  additionalProperties: (v) => typeof v === "boolean" || isObject(v),
  items: isObject,
  enum: Array.isArray,
  oneOf: (v) => Array.isArray(v) && v.every(isObject),
  anyOf: (v) => Array.isArray(v) && v.every(isObject),
  minimum: (v) => typeof v === "number",
  maximum: (v) => typeof v === "number",
  minLength: isCount,
  maxItems: isCount,
  pattern: isString,
};

/** Keywords of one schema (not its children) that the checker does not know, or whose value it cannot read. */
function keywordProblems(schema: Record<string, Json>, at: string): string[] {
  return Object.entries(schema).flatMap(([keyword, value]) => {
    if (ANNOTATIONS.has(keyword)) return [];
    if (!CHECKED.has(keyword)) return [`${at}: ${keyword}`];
    return KEYWORD_FORMS[keyword]!(value) ? [] : [`${at}: ${keyword} ${JSON.stringify(value)}`];
  });
}

/** A REST answer as the tests saw it. */
export interface SeenAnswer {
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when the body was empty. */
  body: unknown;
  /** The JSON the request sent, if any (checked against the operation's requestBody when it succeeded). */
  requestBody?: unknown;
}

/** Keywords anywhere in `schema` that this checker would not check. */
export function unsupportedKeywords(schema: Json, at = "$"): string[] {
  if (!isObject(schema)) return [];
  const found = keywordProblems(schema, at);
  const nested: [string, Json][] = [
    ...Object.entries(isObject(schema.properties) ? schema.properties : {}).map(([k, v]): [string, Json] => [`.${k}`, v]),
    ["[]", schema.items ?? null],
    ["{}", schema.additionalProperties ?? null],
    ...[...(Array.isArray(schema.oneOf) ? schema.oneOf : []), ...(Array.isArray(schema.anyOf) ? schema.anyOf : [])].map(
      (option, i): [string, Json] => [`|${i}`, option],
    ),
  ];
  return [...found, ...nested.flatMap(([suffix, child]) => unsupportedKeywords(child, at + suffix))];
}

/** The problems with `value` against `schema` (empty when it conforms). */
export function validate(doc: Document, schema: Json, value: unknown, at = "$"): string[] {
  if (!isObject(schema)) return [`${at}: schema is not an object`];
  const errors = keywordProblems(schema, at).map((problem) => `unsupported keyword ${problem}`);
  // A schema the checker cannot read is not checked half-way.
  if (errors.length > 0) return errors;
  if (typeof schema.$ref === "string") errors.push(...validate(doc, resolve(doc, schema.$ref), value, at));
  if (typeof schema.type === "string" && !hasType(value, schema.type)) {
    return [...errors, `${at}: expected ${schema.type}, got ${JSON.stringify(value)}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value as Json)) {
    errors.push(`${at}: ${JSON.stringify(value)} is not one of the enum`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${at}: ${value} < ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${at}: ${value} > ${schema.maximum}`);
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && [...value].length < schema.minLength) errors.push(`${at}: too short`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
      errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) errors.push(`${at}: too many items`);
    if (schema.items !== undefined) value.forEach((item, i) => errors.push(...validate(doc, schema.items!, item, `${at}[${i}]`)));
  }
  if (isObject(value)) errors.push(...validateObject(doc, schema, value, at));
  if (Array.isArray(schema.oneOf)) {
    const matching = schema.oneOf.filter((option) => validate(doc, option, value, at).length === 0).length;
    if (matching !== 1) errors.push(`${at}: matches ${matching} of oneOf, not exactly 1`);
  }
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((option) => validate(doc, option, value, at).length === 0)) {
    errors.push(`${at}: matches none of anyOf`);
  }
  return errors;
}

function validateObject(doc: Document, schema: Schema, value: Record<string, unknown>, at: string): string[] {
  const errors: string[] = [];
  const properties = isObject(schema.properties) ? schema.properties : {};
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) if (!(String(name) in value)) errors.push(`${at}: missing ${String(name)}`);
  }
  for (const [name, item] of Object.entries(value)) {
    if (Object.hasOwn(properties, name)) errors.push(...validate(doc, properties[name]!, item, `${at}.${name}`));
    else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property ${name}`);
    else if (isObject(schema.additionalProperties)) {
      errors.push(...validate(doc, schema.additionalProperties, item, `${at}.${name}`));
    }
  }
  return errors;
}

/** A local `#/a/b` reference; throws when it does not resolve. */
export function resolve(doc: Document, ref: string): Json {
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported: ${ref}`);
  let node: Json = doc;
  for (const part of ref.slice(2).split("/")) {
    if (!isObject(node) || !Object.hasOwn(node, part)) throw new Error(`$ref ${ref} does not resolve`);
    node = node[part]!;
  }
  return node;
}

/** The documented operation for a method and a concrete path (`/v1/queues/abc`). */
export function findOperation(doc: Document, method: string, path: string): { template: string; operation: Schema } | undefined {
  const paths = doc.paths as Record<string, Record<string, Schema>>;
  // The API reads a trailing slash as the same path.
  const segments = path.split("?")[0]!.replace(/(.)\/$/, "$1").split("/");
  for (const [template, item] of Object.entries(paths)) {
    const parts = template.split("/");
    const fits = parts.length === segments.length && parts.every((p, i) => p.startsWith("{") || p === segments[i]);
    const operation = item[method.toLowerCase()];
    if (fits && operation) return { template, operation };
  }
  return undefined;
}

/**
 * The problems with one answer: its operation must document its status (exactly, or as `4XX`),
 * with a JSON body matching the schema, or no content for a response without one. Answers no
 * operation covers (unknown paths, 405) must be the document's Error.
 */
export function checkAnswer(doc: Document, answer: SeenAnswer): string[] {
  const where = `${answer.method} ${answer.path} -> ${answer.status}`;
  const found = findOperation(doc, answer.method, answer.path);
  if (!found) {
    if (answer.status !== 404 && answer.status !== 405) return [`${where}: no documented operation`];
    return checkJson(doc, { $ref: "#/components/schemas/Error" }, answer, where);
  }
  const requestProblems = [
    ...checkQuery(doc, found.operation, answer, where),
    ...checkRequestBody(doc, found.operation, answer, where),
  ];
  if (requestProblems.length > 0) return requestProblems;
  const responses = found.operation.responses as Record<string, Json>;
  const documented = responses[String(answer.status)] ?? responses[`${String(answer.status)[0]}XX`];
  if (documented === undefined) return [`${where}: status not documented for ${String(found.operation.operationId)}`];
  let response = documented as Schema;
  if (typeof response.$ref === "string") response = resolve(doc, response.$ref) as Schema;
  const missing = Object.keys((response.headers as Schema | undefined) ?? {})
    .filter((name) => !(name.toLowerCase() in answer.headers))
    .map((name) => `${where}: missing header ${name}`);
  if (missing.length > 0) return missing;
  const content = response.content as Record<string, Schema> | undefined;
  if (!content) return answer.body === undefined ? [] : [`${where}: documented without content, got a body`];
  const media = content["application/json"];
  if (!media) return [`${where}: the document has no application/json content`];
  return checkJson(doc, media.schema!, answer, where);
}

/** A request the API accepted must be one the document allows. */
function checkRequestBody(doc: Document, operation: Schema, answer: SeenAnswer, where: string): string[] {
  if (answer.status >= 300 || answer.requestBody === undefined) return [];
  const requestBody = operation.requestBody as Schema | undefined;
  if (!requestBody) return [`${where}: accepted a body the operation does not document`];
  const schema = (requestBody.content as Record<string, Schema>)["application/json"]!.schema!;
  return validate(doc, schema, answer.requestBody).map((e) => `${where}: request body ${e}`);
}

/** Fields of a parameter object the checker reads (style, explode, content ... would change its meaning). */
const PARAMETER_FIELDS = new Set(["name", "in", "description", "required", "schema"]);

/**
 * A request the API accepted may only use query parameters its operation declares, each once and
 * with a value the parameter's schema allows, and must give the required ones. A refused request
 * may send anything: refusing it is what such tests check. A declaration the checker cannot read
 * fails whatever the answer was.
 */
function checkQuery(doc: Document, operation: Schema, answer: SeenAnswer, where: string): string[] {
  const declared = new Map<string, Schema>();
  const problems: string[] = [];
  for (const entry of (operation.parameters ?? []) as Json[]) {
    const parameter = (isObject(entry) && typeof entry.$ref === "string" ? resolve(doc, entry.$ref) : entry) as Schema;
    if (parameter.in !== "query") continue;
    const unread = Object.keys(parameter).filter((field) => !PARAMETER_FIELDS.has(field));
    if (unread.length > 0 || !isObject(parameter.schema)) {
      problems.push(`${where}: query parameter ${String(parameter.name)} has ${unread.join(", ") || "no schema"}, which the checker cannot read`);
    } else declared.set(String(parameter.name), parameter);
  }
  if (problems.length > 0 || answer.status >= 300) return problems;
  const query = new URLSearchParams(answer.path.includes("?") ? answer.path.slice(answer.path.indexOf("?") + 1) : "");
  for (const name of new Set(query.keys())) {
    const parameter = declared.get(name);
    const values = query.getAll(name);
    if (!parameter) problems.push(`${where}: accepted query parameter ${name}, which the operation does not declare`);
    else if (values.length > 1) problems.push(`${where}: accepted query parameter ${name} ${values.length} times`);
    else problems.push(...validateQueryValue(doc, parameter.schema!, values[0]!).map((e) => `${where}: query parameter ${name} ${e}`));
  }
  for (const [name, parameter] of declared) {
    if (parameter.required === true && !query.has(name)) problems.push(`${where}: accepted without required query parameter ${name}`);
  }
  return problems;
}

/** A query value is text: it is read as its schema's type, then validated. */
export function validateQueryValue(doc: Document, schema: Json, text: string): string[] {
  const resolved = isObject(schema) && typeof schema.$ref === "string" ? resolve(doc, schema.$ref) : schema;
  const type = isObject(resolved) ? resolved.type : undefined;
  switch (type) {
    case "string":
      return validate(doc, schema, text);
    case "integer":
      return /^-?\d+$/.test(text) ? validate(doc, schema, Number(text)) : [`${JSON.stringify(text)} is not an integer`];
    case "number":
      return text.trim() !== "" && Number.isFinite(Number(text)) ? validate(doc, schema, Number(text)) : [`${JSON.stringify(text)} is not a number`];
    case "boolean":
      return text === "true" || text === "false" ? validate(doc, schema, text === "true") : [`${JSON.stringify(text)} is not a boolean`];
    default:
      return [`has schema type ${JSON.stringify(type)}, which the checker cannot read from a query string`];
  }
}

function checkJson(doc: Document, schema: Json, answer: SeenAnswer, where: string): string[] {
  if (!answer.contentType?.startsWith("application/json")) return [`${where}: content type ${answer.contentType}`];
  return validate(doc, schema, answer.body).map((e) => `${where}: ${e}`);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "object":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
