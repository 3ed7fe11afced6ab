/** The topic's subscriptions in its SQLite: made, confirmed, listed, changed and removed. */
import { SqsError, type StringMap } from "../../sdk/protocol/index.js";
import type { Sql } from "../sql.js";
import { lastSeq } from "./schema.js";
import type { Protocol, Subscribed, SubscribeArgs, SubscriptionListing, SubscriptionPage } from "./types.js";

export interface SubscriptionRow {
  id: string;
  protocol: Protocol;
  endpoint: string;
  owner: string;
  confirmed: boolean;
  token: string | undefined;
  attributes: StringMap;
  sinceSeq: number;
  failures: number;
  lastFailure: string | undefined;
}

interface StoredRow {
  id: string;
  protocol: string;
  endpoint: string;
  owner: string;
  confirmed: number;
  token: string | null;
  attributes: string;
  since_seq: number;
  failures: number;
  last_failure: string | null;
  [key: string]: string | number | null;
}

function fromStored(row: StoredRow): SubscriptionRow {
  return {
    id: row.id,
    protocol: row.protocol as Protocol,
    endpoint: row.endpoint,
    owner: row.owner,
    confirmed: row.confirmed === 1,
    token: row.token ?? undefined,
    attributes: JSON.parse(row.attributes) as StringMap,
    sinceSeq: row.since_seq,
    failures: row.failures,
    lastFailure: row.last_failure ?? undefined,
  };
}

export function listing(row: SubscriptionRow): SubscriptionListing {
  return { id: row.id, protocol: row.protocol, endpoint: row.endpoint, owner: row.owner, confirmed: row.confirmed };
}

export function findSubscription(sql: Sql, id: string): SubscriptionRow | undefined {
  const row = sql.one<StoredRow>("SELECT * FROM subscriptions WHERE id = ?", id);
  return row && fromStored(row);
}

export function requireSubscription(sql: Sql, id: string): SubscriptionRow {
  const row = findSubscription(sql, id);
  if (!row) throw new SqsError("NotFound", "Subscription does not exist");
  return row;
}

/** Every subscription, for the fan-out (cached by the object between changes). */
export function allSubscriptions(sql: Sql): SubscriptionRow[] {
  return sql.all<StoredRow>("SELECT * FROM subscriptions ORDER BY id").map(fromStored);
}

/**
 * A new subscription, or the existing one for the same protocol and endpoint when its attributes
 * are the same (Subscribe is idempotent). A pending one gets the token ConfirmSubscription takes.
 */
export function subscribe(sql: Sql, args: SubscribeArgs, now: number): Subscribed & { token?: string } {
  const same = sql
    .all<StoredRow>("SELECT * FROM subscriptions WHERE protocol = ? AND endpoint = ?", args.protocol, args.endpoint)
    .map(fromStored)[0];
  if (same) {
    if (!sameAttributes(same.attributes, args.attributes)) {
      throw new SqsError("InvalidParameter", "Invalid parameter: Attributes Reason: Subscription already exists with different attributes");
    }
    return { id: same.id, confirmed: same.confirmed, existing: true };
  }
  const id = crypto.randomUUID();
  const token = args.confirmed ? null : confirmationToken();
  sql.run(
    "INSERT INTO subscriptions (id, protocol, endpoint, owner, confirmed, token, attributes, since_seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    id,
    args.protocol,
    args.endpoint,
    args.owner,
    args.confirmed ? 1 : 0,
    token,
    JSON.stringify(args.attributes),
    lastSeq(sql),
    now,
  );
  return { id, confirmed: args.confirmed, existing: false, token: token ?? undefined };
}

function sameAttributes(a: StringMap, b: StringMap): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? "") === (b[k] ?? "") || (k === "RawMessageDelivery" && (a[k] ?? "false") === (b[k] ?? "false")));
}

/** SNS's tokens are long hex strings; this one is 256 random bits. */
function confirmationToken(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** ConfirmSubscription: the pending subscription the token was issued for (a confirmed one answers again). */
export function confirm(sql: Sql, token: string): SubscriptionRow {
  const row = sql.one<StoredRow>("SELECT * FROM subscriptions WHERE token = ?", token);
  if (!row) throw new SqsError("InvalidParameter", "Invalid parameter: Token");
  if (row.confirmed === 0) {
    // Only publishes after the confirmation reach it.
    sql.run("UPDATE subscriptions SET confirmed = 1, since_seq = ? WHERE id = ?", lastSeq(sql), row.id);
  }
  return { ...fromStored(row), confirmed: true };
}

export function removeSubscription(sql: Sql, id: string): boolean {
  return sql.run("DELETE FROM subscriptions WHERE id = ?", id) > 0;
}

export function saveSubscriptionAttributes(sql: Sql, id: string, attributes: StringMap): void {
  sql.run("UPDATE subscriptions SET attributes = ? WHERE id = ?", JSON.stringify(attributes), id);
}

/** A delivery that could not be made: counted, and its reason kept, on the subscription. */
export function recordFailure(sql: Sql, id: string, reason: string, count: number): void {
  sql.run("UPDATE subscriptions SET failures = failures + ?, last_failure = ? WHERE id = ?", count, reason, id);
}

export function pageSubscriptions(sql: Sql, limit: number, after?: string): SubscriptionPage {
  const rows = sql
    .all<StoredRow>("SELECT * FROM subscriptions WHERE id > ? ORDER BY id LIMIT ?", after ?? "", limit + 1)
    .map(fromStored);
  const subscriptions = rows.slice(0, limit).map(listing);
  return rows.length > limit ? { subscriptions, after: subscriptions[subscriptions.length - 1]!.id } : { subscriptions };
}

export function countSubscriptions(sql: Sql): { confirmed: number; pending: number } {
  const row = sql.one<{ confirmed: number | null; pending: number | null }>(
    "SELECT sum(confirmed) AS confirmed, sum(1 - confirmed) AS pending FROM subscriptions",
  );
  return { confirmed: row?.confirmed ?? 0, pending: row?.pending ?? 0 };
}
