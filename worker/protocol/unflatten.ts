/**
 * Query parameters back into request objects, driven by the action's input shape:
 * flattened lists `AttributeName.1`, `AttributeName.2` become arrays,
 * flattened maps `Attribute.1.Name` / `Attribute.1.Value` become objects, and nested members
 * (`SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue`) become nested
 * objects. Values stay text; `checkInput(…, { fromText: true })` converts them afterwards.
 */
import { SqsErrors, type Member, type Shape } from "../../sdk/protocol/index.js";
import type { FormParams } from "./form.js";

/** One dotted name segment: its own value (if the exact name was sent) and deeper segments. */
interface Node {
  value?: string;
  children: Map<string, Node>;
}

const INDEX = /^[1-9]\d*$/;

/** Builds the input object of an action from its (flat) Query parameters. */
export function unflatten(members: Record<string, Member>, params: FormParams): Record<string, unknown> {
  const root: Node = { children: new Map() };
  for (const [name, value] of params) {
    let node = root;
    for (const segment of name.split(".")) {
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = { children: new Map() }));
      node = child;
    }
    node.value = value;
  }
  return readStructure(members, root, "");
}

/** The Query name of a member: flattened lists and maps use their element name, not the member name. */
function queryName(name: string, shape: Shape): string {
  return shape.type === "list" || shape.type === "map" ? shape.queryName : name;
}

function readStructure(members: Record<string, Member>, node: Node, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(members)) {
    const key = queryName(name, member.shape);
    const child = node.children.get(key) ?? emptyMarker(node, name, key);
    if (!child) continue;
    const value = read(member.shape, child, path + key);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * botocore sends an empty flattened list or map under the member name, not the element name
 * (`Entries=` rather than `SendMessageBatchRequestEntry=`): read it as empty.
 */
function emptyMarker(node: Node, memberName: string, key: string): Node | undefined {
  const marker = memberName === key ? undefined : node.children.get(memberName);
  return marker && marker.children.size === 0 ? marker : undefined;
}

function read(shape: Shape, node: Node, path: string): unknown {
  switch (shape.type) {
    case "list":
      return entries(node, path).map(([index, item]) => read(shape.member, item, `${path}.${index}`));
    case "map":
      // Built with fromEntries so a key like "__proto__" stays an ordinary key.
      return Object.fromEntries(
        entries(node, path).map(([index, item]) => {
          const entryPath = `${path}.${index}`;
          const key = item.children.get(shape.keyName)?.value;
          if (key === undefined) throw SqsErrors.missingParameter(`${entryPath}.${shape.keyName}`);
          const valueNode = item.children.get(shape.valueName);
          const value = valueNode && read(shape.value, valueNode, `${entryPath}.${shape.valueName}`);
          if (value === undefined) throw SqsErrors.missingParameter(`${entryPath}.${shape.valueName}`);
          return [key, value];
        }),
      );
    case "structure":
      return node.children.size > 0 ? readStructure(shape.members, node, `${path}.`) : undefined;
    default:
      return node.value;
  }
}

/**
 * The numbered entries of a flattened list or map, in order. Indices must run 1, 2, 3, …
 * without gaps: `Attribute.1` then `Attribute.3` is rejected rather than guessed at, since
 * a client that skips an index has lost a value on the way. A bare `Name=` (how SDKs send an
 * empty list) has no numbered entries and reads as an empty list.
 */
function entries(node: Node, path: string): [number, Node][] {
  const numbered: [number, Node][] = [];
  for (const [segment, child] of node.children) {
    if (!INDEX.test(segment)) {
      throw SqsErrors.invalidParameter(path, segment, `${path}.${segment} is not a valid list index; use ${path}.1, ${path}.2, ….`);
    }
    numbered.push([Number(segment), child]);
  }
  numbered.sort((a, b) => a[0] - b[0]);
  numbered.forEach(([index], i) => {
    if (index !== i + 1) {
      throw SqsErrors.invalidParameter(
        path,
        `${path}.${index}`,
        `${path}.${i + 1} is missing; list entries must be numbered from 1 without gaps.`,
      );
    }
  });
  return numbered;
}
