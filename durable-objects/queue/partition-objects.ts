/**
 * A partitioned queue's objects (durable-objects/partitions.md): partition 0 is the object named
 * `<account>/<queue name>`, as every queue's object always was; partition k >= 1 is
 * `<account>/<queue name>#k` (worker/queue-url.ts names them alike).
 */

/** The most partitions a queue may have (worker/partitions.ts checks the tag against it). */
export const MAX_PARTITIONS = 64;

export function partitionObjectName(accountId: string, name: string, k: number): string {
  return k === 0 ? `${accountId}/${name}` : `${accountId}/${name}#${k}`;
}

/**
 * Which partition of its queue an object is, from its own id: the names are fixed, so the object
 * needs no record of it (objects made before partitions knew their index find it too). Partition
 * 0 is found at the first try.
 */
export function partitionIndexOf(id: DurableObjectId, namespace: DurableObjectNamespace, accountId: string, name: string): number {
  for (let k = 0; k < MAX_PARTITIONS; k++) {
    if (namespace.idFromName(partitionObjectName(accountId, name, k)).equals(id)) return k;
  }
  return 0;
}
