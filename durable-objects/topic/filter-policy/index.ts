export { filterPolicyMatches } from "./match.js";
export { parseFilterPolicy } from "./parse-filter-policy.js";
export type {
  FilterMessage,
  FilterMessageAttribute,
  FilterPolicy,
  FilterPolicyAction,
  FilterPolicyScope,
} from "./types.js";
