/**
 * A queue's per-minute samples for scripts and scrapers: `GET /metrics/<queue name>` answers JSON
 * (every sample of the last hours, the minute being counted last), and with `?format=prometheus`
 * the Prometheus text format (the latest complete minute, or the current one when none is stored
 * yet). Signed like any API request (SigV4 of a key in SLUICE_CREDENTIALS); only the caller's own
 * account's queues. A partitioned queue's samples are its partitions' added up, minute by minute.
 */
import { isQueueName, SqsErrors } from "../sdk/protocol/index.js";
import { sumSamples, type MinuteSample } from "../durable-objects/queue/samples.js";
import { unwrap } from "./actions/handler.js";
import type { Env } from "./env.js";
import { partitionCount } from "./partitions.js";
import { partitionStub } from "./queue-url.js";

export const METRICS_PREFIX = "/metrics/";

export async function queueSamples(env: Env, accountId: string, name: string): Promise<MinuteSample[]> {
  if (!isQueueName(name)) throw SqsErrors.queueDoesNotExist();
  const ref = { accountId, name };
  const partitions = await partitionCount({ env }, ref);
  // Partition 0 first: a queue that does not exist fails here, before the others are asked.
  const first = unwrap(await partitionStub({ env }, ref, 0).minuteSamples());
  if (partitions === 1) return first;
  const others = await Promise.all(
    Array.from({ length: partitions - 1 }, async (_, i) => unwrap(await partitionStub({ env }, ref, i + 1).minuteSamples())),
  );
  return sumSamples([first, ...others]);
}

export function metricsResponse(name: string, samples: MinuteSample[], format: string | null): Response {
  if (format === "prometheus") {
    return new Response(prometheusText(name, samples), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } });
  }
  return Response.json({ queue: name, minuteSeconds: 60, samples });
}

const FAMILIES: { key: keyof Omit<MinuteSample, "at">; name: string; help: string }[] = [
  { key: "visible", name: "sluice_queue_messages_visible", help: "Messages visible (deliverable) at the end of the minute." },
  { key: "inFlight", name: "sluice_queue_messages_in_flight", help: "Messages received and not yet visible again at the end of the minute." },
  { key: "delayed", name: "sluice_queue_messages_delayed", help: "Messages not yet delivered because of a delay at the end of the minute." },
  { key: "sent", name: "sluice_queue_messages_sent_per_minute", help: "Messages sent in the minute." },
  { key: "received", name: "sluice_queue_messages_received_per_minute", help: "Messages delivered by receives in the minute." },
  { key: "deleted", name: "sluice_queue_messages_deleted_per_minute", help: "Messages deleted in the minute." },
];

function prometheusText(name: string, samples: MinuteSample[]): string {
  // The last sample is the minute still being counted: the one before it is the latest complete one.
  const sample = samples.length > 1 ? samples[samples.length - 2]! : samples[0];
  if (!sample) return "";
  const label = `queue="${name}"`;
  return FAMILIES.map(
    (family) => `# HELP ${family.name} ${family.help}\n# TYPE ${family.name} gauge\n${family.name}{${label}} ${sample[family.key]} ${sample.at + 60_000}\n`,
  ).join("");
}
