/**
 * Group `topics` (issue 24): SNS topics fanning out to queues.
 *
 * - Publish against SendMessage: concurrency 32, interleaved slices (load.mjs) of the baseline,
 *   SendMessage of 1 KB to a queue, Publish of the same 1 KB to a topic with one SQS
 *   subscription, and Publish to a topic with none (`Publish0`: the request path alone). Publish answers after the durable outbox write; the fan-out runs after it in
 *   the topic's alarm (in the same workerd, on the same cores, while the slices go on). Then how
 *   long the last copies took to land once publishing stopped, and whether every one did.
 * - Fan-out latency: a topic with 10 and one with 100 subscribed queues (SNS's envelope, and raw
 *   delivery); every queue long-polled (one ReceiveMessage with a 20 s wait per queue, parked
 *   before the publish), then one Publish; time from sending Publish to each queue's poll
 *   answering with the message, measured in the client with performance.now().
 * - Rows per delivered copy: PUBLISHES publishes at concurrency 1 and 32 to a topic of 10 and
 *   of 100 queues, counted by the objects themselves (sqlStats() of the instrumented topic and
 *   queue objects, alarm writes included; busyStats() for object requests), from before the
 *   first publish to when every queue holds every copy; priced at list prices.
 */
import { createRequire } from "node:module";
import { AwsV4Signer } from "aws4fetch";
import { sqsClient } from "./http-client.mjs";
import { forEachConcurrently, measureInterleaved } from "./load.mjs";
import { BENCH_KEY, queueBusy, queueStats } from "./miniflare.mjs";
import { BODY_1KB, createQueue } from "./queues.mjs";

const { Pool } = createRequire(createRequire(import.meta.url).resolve("miniflare"))("undici");

export const TOPICS_GROUP = "topics";
const CONCURRENCY = 32;
const FANOUT_SIZES = [10, 100];
const FANOUT_REPS = Number(process.env.BENCH_FANOUT_REPS ?? 5);
/** Long enough for 100 polls to be parked in their queues before the publish. */
const PARK_MS = 500;
const POLL_SECONDS = 20;
const PUBLISHES = Number(process.env.BENCH_TOPIC_PUBLISHES ?? 200);
const ROWS_CONCURRENCIES = [1, 32];
/** How long the copies may take to land before a block is reported as failed. */
const DRAIN_TIMEOUT_MS = 120_000;
/** Connections of the wide clients: 100 long polls, the publish and some. */
const WIDE_CONNECTIONS = 128;
const REGION = "us-east-1";
const ACCOUNT = BENCH_KEY.accountId;
const SIGNING_KEYS = new Map();

/**
 * List prices, USD per million (rows.mjs): a Worker request $0.30, a Durable Object request
 * $0.15 (an RPC call and an alarm each count), a row written $1.00, read $0.001. SNS: $0.50
 * per million publishes (64 KB each), deliveries to SQS queues not charged.
 */
const PRICE = { workerRequest: 0.3, objectRequest: 0.15, rowWritten: 1.0, rowRead: 0.001, snsPublish: 0.5 };

/** An SNS Query-protocol client (form in, XML out), every request signed for service `sns`. */
function snsClient(origin, connections) {
  const url = `${origin}/`;
  const pool = new Pool(origin, { connections, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 30_000 });
  async function call(action, params) {
    const body = new URLSearchParams({ Action: action, Version: "2010-03-31", ...params }).toString();
    const signer = new AwsV4Signer({
      method: "POST",
      url,
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body,
      accessKeyId: BENCH_KEY.accessKeyId,
      secretAccessKey: BENCH_KEY.secretAccessKey,
      service: "sns",
      region: REGION,
      cache: SIGNING_KEYS,
    });
    const signed = await signer.sign();
    const response = await pool.request({ path: "/", method: "POST", headers: Object.fromEntries(signed.headers), body });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`SNS ${action} -> ${response.statusCode} ${text.slice(0, 300)}`);
    return text;
  }
  return { call, close: () => pool.close() };
}

const xmlField = (xml, name) => xml.match(new RegExp(`<${name}>([^<]*)</${name}>`))?.[1];

/** The statement every SNS-to-SQS guide shows (tests/e2e/sns/sns-helpers.ts): this topic may send to this queue. */
function topicDeliveryPolicy(queueArn, topicArn) {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
      },
    ],
  });
}

/** A topic with `count` queues subscribed (each Policy letting it in); names and URLs. */
async function topicWithQueues(sns, sqs, name, count, raw) {
  const topicArn = xmlField(await sns.call("CreateTopic", { Name: name }), "TopicArn");
  const queues = Array.from({ length: count }, (_, i) => ({ name: `${name}-q${i}` }));
  await forEachConcurrently(count, 16, async (i) => {
    const queue = queues[i];
    queue.url = await createQueue(sqs, queue.name);
    const { Attributes } = await sqs.call("GetQueueAttributes", { QueueUrl: queue.url, AttributeNames: ["QueueArn"] });
    queue.arn = Attributes.QueueArn;
    await sqs.call("SetQueueAttributes", { QueueUrl: queue.url, Attributes: { Policy: topicDeliveryPolicy(queue.arn, topicArn) } });
    const attributes = raw ? { "Attributes.entry.1.key": "RawMessageDelivery", "Attributes.entry.1.value": "true" } : {};
    await sns.call("Subscribe", { TopicArn: topicArn, Protocol: "sqs", Endpoint: queue.arn, ...attributes });
  });
  return { name, topicArn, queues };
}

async function topicStats(mf, topicName) {
  const ns = await mf.getDurableObjectNamespace("TOPIC");
  const stub = ns.get(ns.idFromName(`${ACCOUNT}/${topicName}`));
  const [stats, busy] = await Promise.all([stub.sqlStats(), stub.busyStats()]);
  const calls = JSON.parse(JSON.stringify(busy.calls));
  return {
    rowsRead: Number(stats.rowsRead),
    rowsWritten: Number(stats.rowsWritten),
    alarmWrites: Number(stats.alarmWrites),
    requests: (calls.publish ?? 0) + (calls.alarm ?? 0),
    calls,
  };
}

async function queueCounters(mf, name) {
  const [stats, busy] = await Promise.all([queueStats(mf, name), queueBusy(mf, name)]);
  return { ...stats, requests: (busy.calls.describe ?? 0) + (busy.calls.send ?? 0), calls: busy.calls };
}

const approximateCount = async (sqs, url) =>
  Number((await sqs.call("GetQueueAttributes", { QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] })).Attributes.ApproximateNumberOfMessages);

/** Waits until every queue holds `count` messages; the time it took, or throws after DRAIN_TIMEOUT_MS. */
async function waitForCopies(sqs, urls, count) {
  const started = performance.now();
  const pending = new Set(urls);
  while (pending.size > 0) {
    if (performance.now() - started > DRAIN_TIMEOUT_MS) {
      throw new Error(`${pending.size} of ${urls.length} queues still short of ${count} copies after ${DRAIN_TIMEOUT_MS / 1000} s`);
    }
    for (const url of [...pending]) if ((await approximateCount(sqs, url)) >= count) pending.delete(url);
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - started;
}

/** 1. Publish against SendMessage (and the baseline), concurrency 32, interleaved slices. */
async function publishAgainstSend(env, config, sns, log) {
  const { sqs } = env.sluice;
  const sendUrl = await createQueue(sqs, "bench-topics-send");
  const fan = await topicWithQueues(sns, sqs, "bench-topics-publish", 1, false);
  const bare = await topicWithQueues(sns, sqs, "bench-topics-publish-bare", 0, false);
  const sendBody = JSON.stringify({ QueueUrl: sendUrl, MessageBody: BODY_1KB });
  let published = 0;
  log(`topics: Publish to a topic of 1 queue vs SendMessage, concurrency ${CONCURRENCY} (${config.rounds} rounds)`);
  const runs = [
    { key: "baseline", op: () => env.baseline.sqs.call("SendMessage", sendBody) },
    { key: "SendMessage", op: () => sqs.call("SendMessage", sendBody) },
    {
      key: "Publish",
      op: async () => {
        await sns.call("Publish", { TopicArn: fan.topicArn, Message: BODY_1KB });
        published++;
      },
    },
    // The request path alone: the same Publish to a topic without subscriptions (no fan-out follows).
    { key: "Publish0", op: () => sns.call("Publish", { TopicArn: bare.topicArn, Message: BODY_1KB }) },
  ];
  const summaries = await measureInterleaved(runs.map((r) => ({ ...r, concurrency: CONCURRENCY, requestsPerOp: 1 })), config);
  const drainMs = await waitForCopies(sqs, [fan.queues[0].url], published);
  const delivered = await approximateCount(sqs, fan.queues[0].url);
  const result = Object.fromEntries([...summaries].map(([key, s]) => [key, s]));
  const ratio = (a, b) => ({ throughput: a.opsPerSec / b.opsPerSec, p50: a.p50Ms / b.p50Ms, p99: a.p99Ms / b.p99Ms });
  return {
    concurrency: CONCURRENCY,
    cases: result,
    publishVsSend: ratio(result.Publish, result.SendMessage),
    publishVsBaseline: ratio(result.Publish, result.baseline),
    bareVsSend: ratio(result.Publish0, result.SendMessage),
    sendVsBaseline: ratio(result.SendMessage, result.baseline),
    published,
    delivered,
    drainAfterLastPublishMs: drainMs,
  };
}

/** 2a. Fan-out latency: FANOUT_REPS publishes to a topic of n queues, each with every queue long-polled. */
async function fanoutLatency(env, sns, wide, n, raw, log) {
  const fan = await topicWithQueues(sns, env.sluice.sqs, `bench-topics-fan${n}${raw ? "-raw" : ""}`, n, raw);
  log(`topics: fan-out latency to ${n} queues (${raw ? "raw" : "enveloped"}), ${FANOUT_REPS} repetitions`);
  const reps = [];
  for (let rep = 0; rep < FANOUT_REPS; rep++) {
    let t0;
    const polls = fan.queues.map(async (queue) => {
      for (;;) {
        const { Messages } = await wide.call("ReceiveMessage", {
          QueueUrl: queue.url,
          MaxNumberOfMessages: 1,
          WaitTimeSeconds: POLL_SECONDS,
          VisibilityTimeout: 60,
        });
        const message = Messages?.[0];
        if (!message) {
          if (t0 !== undefined && performance.now() - t0 > 60_000) throw new Error(`queue ${queue.name}: no copy within 60 s`);
          continue;
        }
        const at = performance.now();
        if (!message.Body.includes(`rep-${rep}-`)) throw new Error(`queue ${queue.name} received another repetition's message`);
        return { at, handle: message.ReceiptHandle, url: queue.url };
      }
    });
    await new Promise((resolve) => setTimeout(resolve, PARK_MS));
    t0 = performance.now();
    await sns.call("Publish", { TopicArn: fan.topicArn, Message: `rep-${rep}-${BODY_1KB}` });
    const answeredMs = performance.now() - t0;
    const got = await Promise.all(polls);
    const ms = got.map((g) => g.at - t0).sort((a, b) => a - b);
    reps.push({ publishMs: answeredMs, firstMs: ms[0], medianQueueMs: ms[Math.floor(ms.length / 2)], lastMs: ms[ms.length - 1] });
    await Promise.all(got.map((g) => wide.call("DeleteMessage", { QueueUrl: g.url, ReceiptHandle: g.handle })));
  }
  const lasts = reps.map((r) => r.lastMs).sort((a, b) => a - b);
  return { queues: n, raw, reps, medianLastMs: lasts[Math.floor(lasts.length / 2)], worstLastMs: lasts[lasts.length - 1] };
}

/** 2b. Rows and object requests per delivered copy, PUBLISHES publishes at `concurrency` to a topic of n queues. */
async function rowsPerCopy(env, sns, n, concurrency, log) {
  const { sqs, mf } = env.sluice;
  const fan = await topicWithQueues(sns, sqs, `bench-topics-rows${n}-c${concurrency}`, n, false);
  log(`topics: rows per delivered copy, ${PUBLISHES} publishes at concurrency ${concurrency} to ${n} queues`);
  const snapshot = async () => ({
    topic: await topicStats(mf, fan.name),
    queues: await Promise.all(fan.queues.map((q) => queueCounters(mf, q.name))),
  });
  const before = await snapshot();
  const started = performance.now();
  await forEachConcurrently(PUBLISHES, concurrency, (i) => sns.call("Publish", { TopicArn: fan.topicArn, Message: `${i}-${BODY_1KB}` }));
  const publishedMs = performance.now() - started;
  await waitForCopies(sqs, fan.queues.map((q) => q.url), PUBLISHES);
  const allDeliveredMs = performance.now() - started;
  // The last alarm's own set-up (the next alarm, the deletes of the last rows) may follow the last copy.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = await snapshot();
  const copies = PUBLISHES * n;
  const sum = (list, field) => list.reduce((s, x) => s + x[field], 0);
  const d = (field) => ({
    topic: after.topic[field] - before.topic[field],
    queues: sum(after.queues, field) - sum(before.queues, field),
  });
  const written = d("rowsWritten");
  const read = d("rowsRead");
  const requests = d("requests");
  const per = (x) => ({ topic: x.topic / copies, queues: x.queues / copies, total: (x.topic + x.queues) / copies });
  const topicCalls = Object.fromEntries(["publish", "alarm"].map((m) => [m, (after.topic.calls[m] ?? 0) - (before.topic.calls[m] ?? 0)]));
  const queueCalls = Object.fromEntries(
    ["describe", "send"].map((m) => [m, sum(after.queues.map((q) => ({ v: q.calls[m] ?? 0 })), "v") - sum(before.queues.map((q) => ({ v: q.calls[m] ?? 0 })), "v")]),
  );
  const perCopy = { rowsWritten: per(written), rowsRead: per(read), objectRequests: per(requests) };
  const workerRequestsPerCopy = PUBLISHES / copies;
  const cost = {
    sluice:
      workerRequestsPerCopy * PRICE.workerRequest +
      perCopy.objectRequests.total * PRICE.objectRequest +
      perCopy.rowsWritten.total * PRICE.rowWritten +
      perCopy.rowsRead.total * PRICE.rowRead,
    rowsOnly: perCopy.rowsWritten.total * PRICE.rowWritten + perCopy.rowsRead.total * PRICE.rowRead,
    sns: PRICE.snsPublish / n,
  };
  return {
    queues: n,
    concurrency,
    publishes: PUBLISHES,
    copies,
    publishedMs,
    allDeliveredMs,
    topicAlarmWrites: after.topic.alarmWrites - before.topic.alarmWrites,
    topicCalls,
    queueCalls,
    perCopy,
    cost,
  };
}

/** Every measurement of the group on this tree's Sluice. */
export async function measureTopics(env, config, log) {
  const sns = snsClient(env.sluice.origin, CONCURRENCY + 4);
  const wide = sqsClient(env.sluice.origin, WIDE_CONNECTIONS, BENCH_KEY);
  try {
    const publish = await publishAgainstSend(env, config, sns, log);
    const fanout = [];
    for (const n of FANOUT_SIZES) for (const raw of [false, true]) fanout.push(await fanoutLatency(env, sns, wide, n, raw, log));
    const rows = [];
    for (const n of FANOUT_SIZES) for (const c of ROWS_CONCURRENCIES) rows.push(await rowsPerCopy(env, sns, n, c, log));
    return { publish, fanout, rows };
  } finally {
    await Promise.allSettled([sns.close(), wide.close()]);
  }
}

export function topicsProblems(result) {
  const problems = [];
  const { cases, published, delivered } = result.publish;
  for (const [key, s] of Object.entries(cases)) if (s.errors) problems.push(`${key}: ${s.errors} errors (${s.errorSamples.join("; ")})`);
  if (delivered !== published) problems.push(`Publish: ${published} acknowledged, ${delivered} copies in the subscribed queue`);
  return problems;
}

const f2 = (n) => (Number.isFinite(n) ? n.toFixed(2) : "-");
const f1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : "-");
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "-");

export function formatTopics(result) {
  const { publish } = result;
  const c = publish.cases;
  const line = (key) => `  ${key.padEnd(12)} ${int(c[key].opsPerSec).padStart(7)} ops/s  p50 ${f2(c[key].p50Ms).padStart(7)} ms  p99 ${f2(c[key].p99Ms).padStart(7)} ms`;
  return [
    "",
    `Topics (issue 24): Publish (1 KB, topic with 1 SQS subscription, answered after the outbox write) vs SendMessage (1 KB), concurrency ${publish.concurrency}`,
    line("baseline"),
    line("SendMessage"),
    line("Publish"),
    line("Publish0"),
    `  Publish vs SendMessage: throughput ${f2(publish.publishVsSend.throughput)}x, p50 ${f2(publish.publishVsSend.p50)}x, p99 ${f2(publish.publishVsSend.p99)}x` +
      ` (vs baseline ${f2(publish.publishVsBaseline.throughput)}x; SendMessage vs baseline ${f2(publish.sendVsBaseline.throughput)}x)`,
    `  Publish0 (a topic without subscriptions: the request path, no fan-out) vs SendMessage: throughput ${f2(publish.bareVsSend.throughput)}x, p50 ${f2(publish.bareVsSend.p50)}x, p99 ${f2(publish.bareVsSend.p99)}x`,
    `  ${int(publish.published)} publishes acknowledged, ${int(publish.delivered)} copies in the queue; the last landed ${int(publish.drainAfterLastPublishMs)} ms after the last publish`,
    "",
    "Fan-out latency: ms from sending Publish to each queue's parked long poll answering with the copy",
    ...result.fanout.map(
      (r) =>
        `  ${String(r.queues).padStart(3)} queues, ${r.raw ? "raw      " : "enveloped"}: last queue median ${f1(r.medianLastMs)} ms, worst ${f1(r.worstLastMs)} ms` +
        `  (per rep last/first/publish answered: ${r.reps.map((x) => `${f1(x.lastMs)}/${f1(x.firstMs)}/${f1(x.publishMs)}`).join(", ")})`,
    ),
    "",
    "Rows and object requests per delivered copy (topic + queue objects; enveloped; from before the first publish to every copy in every queue)",
    ...result.rows.map(
      (r) =>
        `  ${String(r.queues).padStart(3)} queues, ${r.publishes} publishes at c=${String(r.concurrency).padEnd(2)}: rows written ${f2(r.perCopy.rowsWritten.total)}` +
        ` (topic ${f2(r.perCopy.rowsWritten.topic)}, queues ${f2(r.perCopy.rowsWritten.queues)}), read ${f2(r.perCopy.rowsRead.total)};` +
        ` object requests ${f2(r.perCopy.objectRequests.total)} (topic ${JSON.stringify(r.topicCalls)}, queues ${JSON.stringify(r.queueCalls)});` +
        ` topic rows written per publish ${f2((r.perCopy.rowsWritten.topic * r.copies) / r.publishes)} (alarm writes ${r.topicAlarmWrites});` +
        ` all delivered in ${int(r.allDeliveredMs)} ms (published in ${int(r.publishedMs)});` +
        ` $/M copies: ${f2(r.cost.sluice)} (rows ${f2(r.cost.rowsOnly)}; SNS ${f2(r.cost.sns)})`,
    ),
    ...topicsProblems(result).map((p) => `  PROBLEM: ${p}`),
  ].join("\n");
}
