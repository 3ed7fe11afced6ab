/**
 * How a segment row encodes its messages (storage.md): `meta`, the small fields read at wake,
 * and `payload`, the bodies and attributes read only to deliver or move a message.
 */
import type { MessageRow } from "./message-types.js";

/** The per-message fields a segment's `meta` column holds (read at start-up). */
export interface Meta {
  /** seq */
  s: number;
  /** visible_at as stored: the delay, or a durable receive or claim */
  v: number;
  /** enqueued_at */
  e: number;
  /** receive_count, receipt_gen, first_receive_at, last_receive_at as stored */
  rc: number;
  g: number;
  fr?: number | null;
  lr?: number | null;
  /** deleted: kept as a tombstone until the whole segment goes, so `payload` is never rewritten */
  x?: 1;
  /** MessageGroupId of a FIFO message (it has a SequenceNumber) */
  q?: string;
  /** MessageGroupId of a grouped message on a standard queue (a fair queue: no SequenceNumber) */
  f?: string;
  /** The caller's send id (send-ids.ts): kept in meta so a wake knows the recent ones */
  i?: string;
}

/** The message's group, FIFO or fair; undefined for a message without one. */
export const groupOf = (meta: Meta): string | undefined => meta.q ?? meta.f;

/** The per-message fields of `payload`, read only to deliver or move a message. */
export interface Payload {
  s: number;
  id: string;
  b: string;
  a?: string | null;
  sa?: string | null;
  mb: string;
  ma?: string | null;
  ms?: string | null;
  snd: string;
  t: number;
  dl?: string | null;
  /** MessageDeduplicationId of a FIFO message */
  dd?: string | null;
  /** body and attributes are in `large_bodies` */
  big?: 1;
}

/** Index of the message with this seq in a segment's `meta` (ordered by seq), or -1. */
export function binarySearch(metas: Meta[], seq: number): number {
  let lo = 0;
  let hi = metas.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = metas[mid]!.s;
    if (s === seq) return mid;
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export function toMeta(row: MessageRow): Meta {
  const meta: Meta = { s: row.seq, v: row.visible_at, e: row.enqueued_at, rc: row.receive_count, g: row.receipt_gen };
  if (row.first_receive_at !== null) meta.fr = row.first_receive_at;
  if (row.last_receive_at !== null && row.last_receive_at !== undefined) meta.lr = row.last_receive_at;
  if (row.group_id !== null && row.sequence_number !== null) meta.q = row.group_id;
  else if (row.group_id !== null) meta.f = row.group_id;
  if (row.send_id) meta.i = row.send_id;
  return meta;
}

export function toPayload(row: MessageRow): Payload {
  const payload: Payload = { s: row.seq, id: row.message_id, b: row.body, mb: row.md5_body, snd: row.sender_id, t: row.sent_at };
  if (row.attributes !== null) payload.a = row.attributes;
  if (row.md5_attributes !== null) payload.ma = row.md5_attributes;
  if (row.system_attributes !== null) payload.sa = row.system_attributes;
  if (row.md5_system_attributes !== null) payload.ms = row.md5_system_attributes;
  if (row.dead_letter_source_arn !== null) payload.dl = row.dead_letter_source_arn;
  if (row.dedup_id !== null) payload.dd = row.dedup_id;
  return payload;
}
