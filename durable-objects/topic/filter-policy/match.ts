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
  const choices: Choice[] = [];
  for (const field of branch) {
    const present = leaves.get(field.path) ?? [];
    const candidates = present.filter((leaf) =>
      field.patterns.some((pattern) => (pattern.kind === "exists" ? pattern.value : valueMatches(pattern, leaf.value))),
    );
    if (candidates.length > 0) choices.push(indexChoice(candidates));
    else if (!(present.length === 0 && field.patterns.some((p) => p.kind === "exists" && !p.value))) return false;
  }
  return consistentChoice(choices.sort((a, b) => a.leaves.length - b.leaves.length), 0, new Map());
}

/** A field's candidate leaves, and the same leaves by the array element they sit in. */
interface Choice {
  leaves: Leaf[];
  byElement: Map<number, { count: number; elements: Map<number, Leaf[]> }>;
}

function indexChoice(leaves: Leaf[]): Choice {
  const byElement: Choice["byElement"] = new Map();
  for (const leaf of leaves) {
    for (const [array, element] of leaf.trail) {
      const inArray = byElement.get(array) ?? { count: 0, elements: new Map<number, Leaf[]>() };
      byElement.set(array, inArray);
      inArray.count++;
      const found = inArray.elements.get(element);
      if (found) found.push(leaf);
      else inArray.elements.set(element, [leaf]);
    }
  }
  return { leaves, byElement };
}

/**
 * Picks one leaf per field such that no two come from different elements of one array. When an
 * array already chosen from holds some of a field's leaves, only those in the chosen element are
 * tried, which keeps large arrays linear.
 */
function consistentChoice(choices: Choice[], index: number, elements: Map<number, number>): boolean {
  const choice = choices[index];
  if (!choice) return true;
  let candidates = choice.leaves;
  for (const [array, element] of elements) {
    const inArray = choice.byElement.get(array);
    if (!inArray) continue;
    candidates = inArray.elements.get(element) ?? [];
    // A dotted key can name the same path outside the array too: those leaves stay candidates.
    if (inArray.count < choice.leaves.length) {
      candidates = [...candidates, ...choice.leaves.filter((leaf) => !leaf.trail.some(([a]) => a === array))];
    }
    break;
  }
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
