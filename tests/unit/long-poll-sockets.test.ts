/**
 * Inside the queue object: long-poll waiters parked on its internal WebSocket endpoint
 * are woken (never handed messages) by a send, at once when something is already deliverable,
 * and by the alarm when a delayed message becomes visible: no in-memory timer, which would
 * neither survive hibernation nor let the object hibernate. The endpoint takes nothing else.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { WAIT_PATH } from "../../durable-objects/queue/wait-socket.js";
import { ClockedQueue } from "./queue-clock.js";

const stubOf = (queue: ClockedQueue) => env.QUEUE.get(env.QUEUE.idFromName(`000000000000/${queue.name}`));

/** Opens a waiter socket on the queue object; `frames` collects what the object sends. */
async function park(queue: ClockedQueue): Promise<{ frames: string[]; socket: WebSocket; next(): Promise<string> }> {
  const response = await stubOf(queue).fetch(`https://queue${WAIT_PATH}`, { headers: { Upgrade: "websocket" } });
  expect(response.status).toBe(101);
  const socket = response.webSocket!;
  socket.accept();
  const frames: string[] = [];
  let notify: (() => void) | undefined;
  socket.addEventListener("message", (event) => {
    frames.push(String(event.data));
    notify?.();
  });
  const next = () =>
    frames.length > 0
      ? Promise.resolve(frames.shift()!)
      : new Promise<string>((resolve) => (notify = () => resolve(frames.shift()!)));
  return { frames, socket, next };
}

/** Lets frames in flight arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe("long-poll waiter sockets", () => {
  it("wakes a parked waiter when a message is sent, and hands it nothing", async () => {
    const queue = await ClockedQueue.create("lp-socket-send");
    const waiter = await park(queue);
    await settle();
    expect(waiter.frames).toEqual([]);
    await queue.send("hello");
    expect(await waiter.next()).toBe("wake");
    // Woken, not handed: the message is still there for whoever receives.
    expect((await queue.receive()).map((m) => m.Body)).toEqual(["hello"]);
    waiter.socket.close();
  });

  it("wakes a new waiter at once when a message is already deliverable", async () => {
    const queue = await ClockedQueue.create("lp-socket-ready");
    await queue.send("already here");
    const waiter = await park(queue);
    expect(await waiter.next()).toBe("wake");
    waiter.socket.close();
  });

  it("sets the alarm for when a delayed message becomes visible, and the alarm wakes the waiter", async () => {
    const queue = await ClockedQueue.create("lp-socket-delay");
    const waiter = await park(queue);
    const sentAt = queue.now;
    await queue.send("later", { DelaySeconds: 30 });
    expect(await queue.alarmAt()).toBe(sentAt + 30_000);
    await settle();
    expect(waiter.frames).toEqual([]);
    queue.advance(30_000);
    expect(await queue.runAlarm()).toBe(true);
    expect(await waiter.next()).toBe("wake");
    waiter.socket.close();
  });

  it("still arms the alarm for its waiters after waking up from storage alone, as after an eviction while they wait", async () => {
    const queue = await ClockedQueue.create("lp-socket-evicted");
    const waiter = await park(queue);
    // Forgets what memory held (the alarm it set among it); the sockets are the runtime's and stay.
    await queue.restart();
    const sentAt = queue.now;
    await queue.send("later", { DelaySeconds: 30 });
    expect(await queue.alarmAt()).toBe(sentAt + 30_000);
    queue.advance(30_000);
    await queue.runAlarm();
    expect(await waiter.next()).toBe("wake");
    waiter.socket.close();
  });

  it("leaves the alarm to retention when nobody waits for a delayed message", async () => {
    const queue = await ClockedQueue.create("lp-socket-nobody", { MessageRetentionPeriod: "600" });
    const sentAt = queue.now;
    await queue.send("later", { DelaySeconds: 30 });
    expect(await queue.alarmAt()).toBe(sentAt + 600_000);
  });

  it("refuses anything but a WebSocket upgrade on its internal path, and a queue that does not exist", async () => {
    const queue = await ClockedQueue.create("lp-socket-refusals");
    const stub = stubOf(queue);
    expect((await stub.fetch(`https://queue/${queue.name}`, { headers: { Upgrade: "websocket" } })).status).toBe(404);
    expect((await stub.fetch(`https://queue${WAIT_PATH}`)).status).toBe(426);
    const missing = env.QUEUE.get(env.QUEUE.idFromName(`000000000000/${queue.name}-never-created`));
    expect((await missing.fetch(`https://queue${WAIT_PATH}`, { headers: { Upgrade: "websocket" } })).status).toBe(404);
  });
});
