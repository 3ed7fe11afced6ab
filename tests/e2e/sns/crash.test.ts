/**
 * A topic's promise under crashes: once Publish (or PublishBatch) answered, every subscribed
 * queue gets the message — at least once after a crash — and a FIFO topic's queue gets each
 * group in publish order. The real `npm start` runs while publishers keep calling it; at a random
 * moment of each load phase the whole process group is killed with -9 and started again on the
 * same state. After the last restart every queue is drained, and the test fails if any
 * acknowledged publish is missing from any subscribed queue, if a body nobody published turns
 * up, or if a FIFO group's first arrivals are out of publish order.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTopicCommand, PublishBatchCommand, PublishCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, killDev, runningServers, sqsClient, startDev, stopDev, STOP_TIMEOUT_MS, type DevServer } from "../local-server.js";
import { subscribedQueue, type TestQueue } from "./sns-helpers.js";

const KILLS = 2;
const PHASE_MS = [1_500, 3_000] as const;
/** Publishes acknowledged in each phase before its kill, so no kill hits an idle server. */
const MIN_ACKED = 40;
const PHASE_CAP_MS = 20_000;
const DRAIN_CAP_MS = 40_000;
const FIFO_GROUPS = 3;
const LOCAL_KEY = { accessKeyId: "local", secretAccessKey: "local" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Server {
  sns: SNSClient;
  sqs: SQSClient;
}

describe("kill -9 under publish load (npm start)", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "sluice-sns-crash-state-"));
  const serverTmp = mkdtempSync(join(tmpdir(), "sluice-sns-crash-tmp-"));

  afterAll(async () => {
    for (const child of runningServers()) await stopDev(child);
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(serverTmp, { recursive: true, force: true });
  }, STOP_TIMEOUT_MS * 2);

  it(
    "loses no acknowledged publish from any subscribed queue",
    async () => {
      const port = await freePort();
      let dev: DevServer = await startDev(port, stateDir, undefined, serverTmp);
      const connect = (d: DevServer): Server => ({
        sns: new SNSClient({ endpoint: d.endpoint, region: "us-east-1", credentials: LOCAL_KEY, maxAttempts: 1 }),
        sqs: sqsClient(d.endpoint),
      });
      let server: Server | undefined = connect(dev);
      const stamp = Date.now().toString(36);
      const standardTopic = (await server.sns.send(new CreateTopicCommand({ Name: `crash-${stamp}` }))).TopicArn!;
      const fifoTopic = (
        await server.sns.send(new CreateTopicCommand({ Name: `crash-${stamp}.fifo`, Attributes: { FifoTopic: "true", ContentBasedDeduplication: "true" } }))
      ).TopicArn!;
      const queues: { queue: TestQueue; topic: string; raw: boolean; fifo: boolean }[] = [];
      for (const [topic, raw, fifo] of [
        [standardTopic, true, false],
        [standardTopic, false, false],
        [fifoTopic, true, true],
      ] as const) {
        const queue = await subscribedQueue(server.sqs, topic, { fifo, prefix: `crash-q-${stamp}` });
        await server.sns.send(
          new SubscribeCommand({ TopicArn: topic, Protocol: "sqs", Endpoint: queue.arn, Attributes: raw ? { RawMessageDelivery: "true" } : {} }),
        );
        queues.push({ queue, topic, raw, fifo });
      }

      // What each publisher was told: bodies acknowledged, per topic, in each phase.
      const acked = { standard: new Set<string>(), fifo: new Map<string, string[]>() };
      const ackedInPhase: number[] = [];
      let phase = 0;
      let inFlight = 0;
      let stopped = false;
      const errors = new Map<string, number>();
      const call = async <T>(fn: (s: Server) => Promise<T>): Promise<T | undefined> => {
        const current = server;
        if (!current) {
          await sleep(20);
          return undefined;
        }
        inFlight += 1;
        try {
          return await fn(current);
        } catch (error) {
          const name = (error as { code?: string; name?: string }).code ?? (error as Error).name;
          errors.set(name, (errors.get(name) ?? 0) + 1);
          return undefined;
        } finally {
          inFlight -= 1;
        }
      };
      const note = () => (ackedInPhase[phase] = (ackedInPhase[phase] ?? 0) + 1);

      const standardPublisher = async (id: string) => {
        for (let n = 0; !stopped; n++) {
          const body = `${id}-${n}`;
          if (n % 3 === 0) {
            const entries = [0, 1, 2].map((k) => ({ Id: `e${k}`, Message: `${body}-b${k}` }));
            const answer = await call((s) => s.sns.send(new PublishBatchCommand({ TopicArn: standardTopic, PublishBatchRequestEntries: entries })));
            if (answer?.Successful?.length === 3) for (const e of entries) acked.standard.add(e.Message), note();
          } else {
            const answer = await call((s) => s.sns.send(new PublishCommand({ TopicArn: standardTopic, Message: body })));
            if (answer?.MessageId) acked.standard.add(body), note();
          }
        }
      };
      // One publisher per group, each publish after the last answered: the group's order is the ack order.
      const fifoPublisher = async (group: string) => {
        const list: string[] = [];
        acked.fifo.set(group, list);
        for (let n = 0; !stopped; n++) {
          const body = `${group}-${n}`;
          const answer = await call((s) => s.sns.send(new PublishCommand({ TopicArn: fifoTopic, Message: body, MessageGroupId: group })));
          if (answer?.MessageId) list.push(body), note();
        }
      };
      const publishers = [
        ...[1, 2, 3].map((i) => standardPublisher(`s${i}`)),
        ...Array.from({ length: FIFO_GROUPS }, (_, g) => fifoPublisher(`g${g}`)),
      ];

      const inFlightAtKill: number[] = [];
      for (let kill = 0; kill < KILLS; kill += 1) {
        const began = Date.now();
        const runFor = PHASE_MS[0] + Math.random() * (PHASE_MS[1] - PHASE_MS[0]);
        while (Date.now() - began < PHASE_CAP_MS && (Date.now() - began < runFor || (ackedInPhase[kill] ?? 0) < MIN_ACKED)) await sleep(20);
        inFlightAtKill.push(inFlight);
        const dying = server;
        server = undefined;
        expect(await killDev(dev.process), `members of the process group left after kill ${kill + 1}`).toEqual([]);
        dying.sns.destroy();
        dying.sqs.destroy();
        dev = await startDev(port, stateDir, undefined, serverTmp);
        phase += 1;
        if (kill === KILLS - 1) stopped = true;
        server = connect(dev);
      }
      await Promise.all(publishers);
      const final = server!;

      const expectedStandard = [...acked.standard];
      const expectedFifo = [...acked.fifo.values()].flat();
      const received = new Map<string, string[]>();
      const deadline = Date.now() + DRAIN_CAP_MS;
      const bodyOf = (q: (typeof queues)[number], body: string) => (q.raw ? body : (JSON.parse(body) as { Message: string }).Message);
      for (const q of queues) {
        const got: string[] = [];
        received.set(q.queue.arn, got);
        const wanted = new Set(q.fifo ? expectedFifo : expectedStandard);
        while (Date.now() < deadline && [...wanted].some((b) => !got.includes(b))) {
          const { Messages = [] } = await final.sqs.send(
            new ReceiveMessageCommand({ QueueUrl: q.queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }),
          );
          got.push(...Messages.map((m) => bodyOf(q, m.Body!)));
          if (Messages.length > 0) {
            await final.sqs.send(
              new DeleteMessageBatchCommand({ QueueUrl: q.queue.url, Entries: Messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle! })) }),
            );
          }
        }
      }

      console.log(
        `sns crash test: ${KILLS} kills (in flight at kill ${inFlightAtKill.join("/")}), acked per phase ${ackedInPhase.join("/")}; ` +
          `standard ${expectedStandard.length} publishes acked, fifo ${expectedFifo.length}; ` +
          `received ${[...received.values()].map((r) => r.length).join("/")}; errors ${JSON.stringify(Object.fromEntries(errors))}`,
      );
      for (const q of queues) {
        const got = received.get(q.queue.arn)!;
        const expected = q.fifo ? expectedFifo : expectedStandard;
        const have = new Set(got);
        expect(expected.filter((b) => !have.has(b)), `${q.queue.arn}: acknowledged publishes never delivered`).toEqual([]);
        // A publish whose answer was lost in a kill may arrive too; nothing else may.
        const known = /^(s\d+-\d+(-b\d)?|g\d+-\d+)$/;
        expect(got.filter((b) => !known.test(b)), `${q.queue.arn}: bodies nobody published`).toEqual([]);
        if (q.fifo) {
          for (const [group, order] of acked.fifo) {
            const firsts = [...new Set(got.filter((b) => b.startsWith(`${group}-`)))];
            const ackedOnly = firsts.filter((b) => order.includes(b));
            expect(ackedOnly, `${group}: first arrivals in publish order`).toEqual(order);
          }
        }
      }
      for (let kill = 0; kill < KILLS; kill += 1) {
        expect(ackedInPhase[kill] ?? 0, `publishes acked before kill ${kill + 1}`).toBeGreaterThanOrEqual(MIN_ACKED);
        expect(inFlightAtKill[kill], `calls in flight at kill ${kill + 1}`).toBeGreaterThan(0);
      }
      final.sns.destroy();
      final.sqs.destroy();
    },
    240_000,
  );
});
