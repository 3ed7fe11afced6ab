/**
 * The storage engine's promise under crashes: an acknowledged send is never lost, and
 * an acknowledged delete never comes back. Receives are in-memory leases for plain standard
 * messages, so a crash may deliver a message again early (duplicates are allowed); nothing else
 * may change.
 *
 * The real `npm start` runs with its state in a temporary directory while producers (SendMessage
 * and SendMessageBatch, unique bodies) and consumers (ReceiveMessage, DeleteMessage and
 * DeleteMessageBatch) keep calling it, on a standard queue and on a FIFO queue (which keeps a
 * row per message). At a random moment of each load phase the whole process group is killed
 * with -9, then started again on the same state. After the last restart the queues are drained.
 * Every call's answer is written down (ledger.ts), and the test fails if
 *  - an acknowledged send was never received, before or during the drain;
 *  - a receive sent after a delete was acknowledged returned that message (standard queues
 *    delete with any genuine handle, FIFO queues refuse a stale one, so an acknowledged delete
 *    always removed the message);
 *  - a message came back under another MessageId, or a body nobody sent turned up;
 *  - a kill did not hit a server under load (too few acknowledged calls in its phase, or no
 *    call in flight at the moment of the kill), or a restart failed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, killDev, runningServers, sqsClient, startDev, stopDev, STOP_TIMEOUT_MS, type DevServer } from "../local-server.js";
import { Ledger } from "./ledger.js";
import { consume, errorNames, Link, produce, type Target } from "./load.js";

const KILLS = 4;
/** Each phase runs for a random time in this range before its kill... */
const PHASE_MS = [1_500, 3_500] as const;
/** ...and at least until this much was acknowledged in it, so no kill hits an idle server. */
const MIN_STANDARD = { sends: 100, deletes: 50 };
const MIN_FIFO = { sends: 30, deletes: 15 };
/** A phase that cannot reach its minimum on a very slow machine is killed anyway, and fails. */
const PHASE_CAP_MS = 20_000;
const DRAIN_CAP_MS = 30_000;
/** Standard: short, so kept messages also come back within a phase. FIFO: short, so the drain need not wait long. */
const STANDARD_VISIBILITY_S = 4;
const FIFO_VISIBILITY_S = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("kill -9 under load (npm start)", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "sluice-crash-state-"));
  // The servers' TMPDIR: a killed server leaves its build directory behind.
  const serverTmp = mkdtempSync(join(tmpdir(), "sluice-crash-tmp-"));

  afterAll(async () => {
    for (const child of runningServers()) await stopDev(child);
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(serverTmp, { recursive: true, force: true });
  }, STOP_TIMEOUT_MS * 2);

  it(
    "loses no acknowledged send and resurrects no acknowledged delete across repeated crashes",
    async () => {
      const port = await freePort();
      const link = new Link();
      const phase = () => link.epoch;
      let server: DevServer = await startDev(port, stateDir, undefined, serverTmp);
      let client: SQSClient = sqsClient(server.endpoint);
      const name = `crash-${Date.now().toString(36)}`;
      const standard: Target = {
        queueUrl: (await client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!,
        ledger: new Ledger(phase),
      };
      const fifo: Target = {
        queueUrl: (
          await client.send(new CreateQueueCommand({ QueueName: `${name}.fifo`, Attributes: { FifoQueue: "true" } }))
        ).QueueUrl!,
        ledger: new Ledger(phase),
        fifoGroups: 4,
      };
      link.up(client);

      let loadStopped = false;
      const load = () => loadStopped;
      const workers = [
        ...[1, 2, 3].map((i) => produce(link, standard, `s${i}`, load)),
        ...[1, 2].map((i) => produce(link, fifo, `f${i}`, load)),
        ...[1, 2, 3].map(() => consume(link, standard, { visibilityTimeout: STANDARD_VISIBILITY_S, keep: 0.1 }, load)),
        ...[1, 2].map(() => consume(link, fifo, { visibilityTimeout: FIFO_VISIBILITY_S, keep: 0 }, load)),
      ];

      const inFlightAtKill: number[] = [];
      const phaseMs: number[] = [];
      const restartMs: number[] = [];
      for (let kill = 0; kill < KILLS; kill += 1) {
        const began = Date.now();
        const runFor = PHASE_MS[0] + Math.random() * (PHASE_MS[1] - PHASE_MS[0]);
        const reached = () => {
          const s = standard.ledger.phases[kill];
          const f = fifo.ledger.phases[kill];
          return (
            s !== undefined && f !== undefined &&
            s.sendsAcked >= MIN_STANDARD.sends && s.deletesAcked >= MIN_STANDARD.deletes &&
            f.sendsAcked >= MIN_FIFO.sends && f.deletesAcked >= MIN_FIFO.deletes
          );
        };
        while (Date.now() - began < PHASE_CAP_MS && (Date.now() - began < runFor || !reached())) await sleep(20);
        phaseMs.push(Date.now() - began);

        inFlightAtKill.push(link.inFlight);
        const dying = link.down();
        // killDev signals before its first await: no call starts or is answered in between.
        expect(await killDev(server.process), `members of the process group left after kill ${kill + 1}`).toEqual([]);
        dying?.destroy();

        const restarting = Date.now();
        server = await startDev(port, stateDir, undefined, serverTmp);
        restartMs.push(Date.now() - restarting);
        client = sqsClient(server.endpoint);
        // After the last kill the load stops: what is left is drained on the fresh server.
        if (kill === KILLS - 1) loadStopped = true;
        link.up(client);
      }
      await Promise.all(workers);

      const drainStarted = Date.now();
      await drain(link, [standard, fifo], client);
      const drainMs = Date.now() - drainStarted;

      // The drained server is the one started after the last kill: phase KILLS.
      const s = standard.ledger.verdict(KILLS);
      const f = fifo.ledger.verdict(KILLS);
      console.log(
        `crash test: ${KILLS} kills (phases ${phaseMs.join("/")} ms, restarts ${restartMs.join("/")} ms, ` +
          `in flight at kill ${inFlightAtKill.join("/")}), drain ${drainMs} ms; ` +
          `standard: ${s.sendsAcked} sends acked, ${s.deletesAcked} deletes acked, ${s.duplicates} duplicates; ` +
          `fifo: ${f.sendsAcked} sends acked, ${f.deletesAcked} deletes acked, ${f.duplicates} duplicates; ` +
          `errors ${JSON.stringify(Object.fromEntries(errorNames))}`,
      );
      for (const [queue, verdict] of [["standard", s], ["fifo", f]] as const) {
        expect(verdict.lost, `${queue}: acknowledged sends never received`).toEqual([]);
        expect(verdict.resurrected, `${queue}: received after their delete was acknowledged`).toEqual([]);
        expect(verdict.foreign, `${queue}: unknown bodies or changed MessageIds`).toEqual([]);
      }
      for (let kill = 0; kill < KILLS; kill += 1) {
        const sp = standard.ledger.phases[kill] ?? { sendsAcked: 0, deletesAcked: 0 };
        const fp = fifo.ledger.phases[kill] ?? { sendsAcked: 0, deletesAcked: 0 };
        expect(sp.sendsAcked, `standard sends acked before kill ${kill + 1}`).toBeGreaterThanOrEqual(MIN_STANDARD.sends);
        expect(sp.deletesAcked, `standard deletes acked before kill ${kill + 1}`).toBeGreaterThanOrEqual(MIN_STANDARD.deletes);
        expect(fp.sendsAcked, `fifo sends acked before kill ${kill + 1}`).toBeGreaterThanOrEqual(MIN_FIFO.sends);
        expect(fp.deletesAcked, `fifo deletes acked before kill ${kill + 1}`).toBeGreaterThanOrEqual(MIN_FIFO.deletes);
        expect(inFlightAtKill[kill], `calls in flight at kill ${kill + 1}`).toBeGreaterThan(0);
      }
      client.destroy();
    },
    240_000,
  );
});

/**
 * Receives and deletes everything left, until every acknowledged send has been received, the
 * queues count no message at all, and the last two receives of each queue came back empty.
 * A long visibility timeout, so nothing is delivered twice during the drain itself.
 */
async function drain(link: Link, targets: Target[], client: SQSClient): Promise<void> {
  let done = false;
  const emptyInARow = targets.map(() => 0);
  const consumers = targets.flatMap((target, t) =>
    [1, 2].map(() =>
      consume(
        link,
        target,
        { visibilityTimeout: 60, keep: 0, onReceive: (n) => (emptyInARow[t] = n === 0 ? emptyInARow[t]! + 1 : 0) },
        () => done,
      ),
    ),
  );
  const deadline = Date.now() + DRAIN_CAP_MS;
  try {
    for (;;) {
      const empty = await Promise.all(targets.map((target, t) => isDrained(client, target, emptyInARow[t]!)));
      if (empty.every(Boolean)) return;
      if (Date.now() > deadline) {
        const left = targets.map((t) => `${t.queueUrl}: ${t.ledger.unreceived()} acknowledged sends unreceived`);
        throw new Error(`drain did not finish within ${DRAIN_CAP_MS} ms: ${left.join("; ")}`);
      }
      await sleep(300);
    }
  } finally {
    done = true;
    await Promise.all(consumers);
  }
}

async function isDrained(client: SQSClient, target: Target, emptyReceives: number): Promise<boolean> {
  if (target.ledger.unreceived() > 0 || emptyReceives < 2) return false;
  const { Attributes = {} } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: target.queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
    }),
  );
  return Object.values(Attributes).every((count) => count === "0");
}
