/**
 * filterPolicyMatches: whether a published message passes a subscription's filter policy. A
 * message passes when, for some branch of the policy, every field matches: one of its patterns
 * matches one of the key's values, or `exists` says what the key's presence is. In MessageBody
 * scope the values chosen for a branch's fields must come from the same element of any array they
 * share (a policy on `Records.name` and `Records.size` is met by one record, not by two).
 */
import { attributeValues, bodyLeaves, type Leaf } from "./message-values.js";
import type { FilterMessage, FilterMessageAttribute, FilterPolicy, PolicyField } from "./types.js";
import { valueMatches } from "./value-match.js";

export function filterPolicyMatches(policy: FilterPolicy, message: FilterMessage): boolean {
  if (policy.scope === "MessageAttributes") {
    return policy.branches.some((branch) => branch.every((field) => attributeFieldMatches(field, message.attributes)));
  }
  const paths = [...new Set(policy.branches.flatMap((branch) => branch.map((field) => field.path)))];
  const leaves = bodyLeaves(message.body, paths);
  if (!leaves) return false;
  return policy.branches.some((branch) => bodyBranchMatches(branch, leaves));
}

function attributeFieldMatches(field: PolicyField, attributes: Record<string, FilterMessageAttribute>): boolean {
  // The attribute's name is the field's whole name: "a.b" is the attribute named "a.b".
  const attribute = Object.hasOwn(attributes, field.path) ? attributes[field.path] : undefined;
  const values = attribute && attributeValues(attribute);
  return field.patterns.some((pattern) => {
    if (pattern.kind === "exists") return pattern.value === (attribute !== undefined);
    if (!values) return false;
    // "For String.Array type attributes, it matches if none of the array elements are listed" (String value matching).
    if (values.array && (pattern.kind === "anything-but" || pattern.kind === "anything-but-prefix")) {
      return values.values.length > 0 && values.values.every((value) => valueMatches(pattern, value));
    }
    return values.values.some((value) => valueMatches(pattern, value));
  });
}

function bodyBranchMatches(branch: PolicyField[], leaves: Map<string, Leaf[]>): boolean {
  const choices: Leaf[][] = [];
  for (const field of branch) {
    const present = leaves.get(field.path) ?? [];
    const candidates = present.filter((leaf) =>
      field.patterns.some((pattern) => (pattern.kind === "exists" ? pattern.value : valueMatches(pattern, leaf.value))),
    );
    if (candidates.length > 0) choices.push(candidates);
    else if (!(present.length === 0 && field.patterns.some((p) => p.kind === "exists" && !p.value))) return false;
  }
  return consistentChoice(choices.sort((a, b) => a.length - b.length), 0, new Map());
}

/** Picks one leaf per field such that no two come from different elements of one array. */
function consistentChoice(choices: Leaf[][], index: number, elements: Map<number, number>): boolean {
  const candidates = choices[index];
  if (!candidates) return true;
  for (const leaf of candidates) {
    const added: number[] = [];
    let consistent = true;
    for (const [array, element] of leaf.trail) {
      const chosen = elements.get(array);
      if (chosen === undefined) {
        elements.set(array, element);
        added.push(array);
      } else if (chosen !== element) {
        consistent = false;
        break;
      }
    }
    if (consistent && consistentChoice(choices, index + 1, elements)) return true;
    for (const array of added) elements.delete(array);
  }
  return false;
}
