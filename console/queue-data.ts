/** What the pages show, gathered with the API's own actions (call.ts). */
import type { ListMessageMoveTasksResultEntry, StringMap } from "../sdk/protocol/index.js";
import type { Call } from "./call.js";

export interface QueueRow {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  visible: number;
  inFlight: number;
  delayed: number;
  /** The queue this one sends to after maxReceiveCount receives (its RedrivePolicy). */
  deadLetterTarget?: { name: string; maxReceiveCount: number };
  /** The queues whose dead-letter queue this is. */
  sources: string[];
  /** When its oldest message was enqueued (the queues page shows the age), if it has any. */
  oldestEnqueuedAt?: number;
  attributes: StringMap;
}

/** At most this many queues a page: each costs a few calls to describe. */
export const QUEUES_PER_PAGE = 50;

export function queueNameOfUrl(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}

export function queueNameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf(":") + 1);
}

export async function listQueuePage(call: Call, prefix: string, token: string | undefined) {
  const page = await call("ListQueues", {
    QueueNamePrefix: prefix === "" ? undefined : prefix,
    MaxResults: QUEUES_PER_PAGE,
    NextToken: token,
  });
  const rows = await Promise.all((page.QueueUrls ?? []).map((url) => describeQueue(call, queueNameOfUrl(url))));
  return { rows, nextToken: page.NextToken };
}

export async function describeQueue(call: Call, name: string): Promise<QueueRow> {
  const [{ Attributes: attributes = {} }, sources] = await Promise.all([
    call("GetQueueAttributes", { QueueUrl: name, AttributeNames: ["All"] }),
    allDeadLetterSources(call, name),
  ]);
  const row: QueueRow = {
    name,
    url: "",
    arn: attributes.QueueArn ?? "",
    fifo: attributes.FifoQueue === "true",
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    sources,
    attributes,
  };
  const target = readRedrivePolicy(attributes.RedrivePolicy);
  if (target) row.deadLetterTarget = target;
  return row;
}

function readRedrivePolicy(policy: string | undefined): QueueRow["deadLetterTarget"] {
  if (!policy) return undefined;
  try {
    const parsed = JSON.parse(policy) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    if (typeof parsed.deadLetterTargetArn !== "string") return undefined;
    return { name: queueNameOfArn(parsed.deadLetterTargetArn), maxReceiveCount: Number(parsed.maxReceiveCount) };
  } catch {
    return undefined;
  }
}

async function allDeadLetterSources(call: Call, name: string): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await call("ListDeadLetterSourceQueues", { QueueUrl: name, MaxResults: 1000, NextToken: token });
    names.push(...page.queueUrls.map(queueNameOfUrl));
    token = page.NextToken;
  } while (token);
  return names;
}

/** Every queue name of the account (for the dead-letter and redrive destination choices). */
export async function allQueueNames(call: Call): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await call("ListQueues", { MaxResults: 1000, NextToken: token });
    names.push(...(page.QueueUrls ?? []).map(queueNameOfUrl));
    token = page.NextToken;
  } while (token);
  return names;
}

export async function tagsOf(call: Call, name: string): Promise<StringMap> {
  return (await call("ListQueueTags", { QueueUrl: name })).Tags ?? {};
}

export async function moveTasksOf(call: Call, arn: string): Promise<ListMessageMoveTasksResultEntry[]> {
  return (await call("ListMessageMoveTasks", { SourceArn: arn, MaxResults: 10 })).Results ?? [];
}

export interface Grant {
  label: string;
  accounts: string[];
  actions: string[];
}

/** The Policy's statements as AddPermission writes them: a label (Sid), principals and actions. */
export function grantsOf(policy: string | undefined): Grant[] {
  if (!policy) return [];
  try {
    const parsed = JSON.parse(policy) as { Statement?: unknown };
    const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [];
    return statements.map((statement: Record<string, unknown>) => ({
      label: typeof statement.Sid === "string" ? statement.Sid : "",
      accounts: principals(statement.Principal),
      actions: list(statement.Action),
    }));
  } catch {
    return [];
  }
}

function principals(principal: unknown): string[] {
  if (typeof principal === "string") return [principal];
  if (principal && typeof principal === "object") return list((principal as { AWS?: unknown }).AWS);
  return [];
}

function list(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
