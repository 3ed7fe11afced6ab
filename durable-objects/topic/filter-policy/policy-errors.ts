/**
 * What is wrong with a filter policy, and the InvalidParameter error AWS answers with it:
 * `Invalid parameter: FilterPolicy: <reason>` (Subscribe adds `Attributes Reason: `), followed,
 * when AWS's parser found the fault, by the place it stood:
 * `\n at [Source: (String)"<policy>"; line: 1, column: 22]`.
 */
import { SqsError } from "../../../sdk/protocol/index.js";
import type { Location } from "./json-reader.js";
import type { FilterPolicyAction } from "./types.js";

/** AWS's parser quotes at most this many characters of the policy. */
const SOURCE_SNIPPET_CHARS = 500;

/** A fault in a policy, before it is worded for the action that carried it. */
export class PolicyProblem extends Error {
  constructor(
    readonly reason: string,
    /** Where AWS's parser stood; absent for faults found after parsing (limits). */
    readonly location?: Location,
    /** "scope" faults are not about the FilterPolicy attribute itself and drop its name. */
    readonly subject: "FilterPolicy" | "scope" = "FilterPolicy",
  ) {
    super(reason);
  }
}

/** The SqsError AWS answers for the problem, worded for the action. */
export function toSqsError(problem: PolicyProblem, source: string, action: FilterPolicyAction): SqsError {
  const prefix = action === "Subscribe" ? "Invalid parameter: Attributes Reason: " : "Invalid parameter: ";
  const subject = problem.subject === "FilterPolicy" ? "FilterPolicy: " : "";
  const where = problem.location ? `\n at ${describeLocation(source, problem.location)}` : "";
  return new SqsError("InvalidParameter", `${prefix}${subject}${problem.reason}${where}`);
}

/** `[Source: (String)"…"; line: L, column: C]`, as AWS's parser describes a place in the policy. */
export function describeLocation(source: string, location: Location): string {
  let snippet = `"${escapeControls(source.slice(0, SOURCE_SNIPPET_CHARS))}"`;
  if (source.length > SOURCE_SNIPPET_CHARS) snippet += `[truncated ${source.length - SOURCE_SNIPPET_CHARS} chars]`;
  return `[Source: (String)${snippet}; line: ${location.line}, column: ${location.column}]`;
}

/** Control characters other than CR and LF are shown as \uXXXX. */
function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (ch) => {
    return `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  });
}
