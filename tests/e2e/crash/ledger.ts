/**
 * What the clients of the crash test were told, and what that obliges the queue to: the record
 * the verdict is drawn from. Times are the test process's own clock (Date.now()), which the
 * server shares: it runs on the same machine.
 */

export interface Received {
  messageId: string;
  /** When the receive call was sent: it cannot have been served before this. */
  startedAt: number;
  phase: number;
}

interface BodyRecord {
  /** The MessageId the send was acknowledged with; undefined while the send is unanswered. */
  ackedId?: string;
  receives: Received[];
  /** When the first acknowledged delete came back. */
  deleteAckedAt?: number;
  /** The phase of the first delete sent for it, answered or not. */
  deleteTriedPhase?: number;
}

export interface PhaseCounts {
  sendsAcked: number;
  deletesAcked: number;
  receives: number;
  /** Calls that got no answer, or an error. */
  failed: number;
}

export interface Verdict {
  /**
   * Acknowledged sends never received, and those no delete was ever tried for that the
   * server after the last restart did not deliver: storage lost them, even if a receive had
   * returned them before a kill.
   */
  lost: string[];
  /** Bodies received by a receive sent after their delete was acknowledged. */
  resurrected: Array<{ body: string; deleteAckedAt: number; receivedBy: Received }>;
  /** Bodies no client ever tried to send, or delivered under another MessageId than acknowledged. */
  foreign: string[];
  sendsAcked: number;
  deletesAcked: number;
  /** Bodies received more than once. */
  duplicates: number;
}

export class Ledger {
  private readonly bodies = new Map<string, BodyRecord>();
  private readonly unknownBodies = new Set<string>();
  readonly phases: PhaseCounts[] = [];

  constructor(private readonly currentPhase: () => number) {}

  private phaseCounts(): PhaseCounts {
    const phase = this.currentPhase();
    while (this.phases.length <= phase) this.phases.push({ sendsAcked: 0, deletesAcked: 0, receives: 0, failed: 0 });
    return this.phases[phase]!;
  }

  /** Before the call goes out: a body must be known before any receive can return it. */
  sending(body: string): void {
    if (this.bodies.has(body)) throw new Error(`body sent twice by the test itself: ${body}`);
    this.bodies.set(body, { receives: [] });
  }

  sendAcked(body: string, messageId: string): void {
    this.bodies.get(body)!.ackedId = messageId;
    this.phaseCounts().sendsAcked += 1;
  }

  received(body: string, messageId: string, startedAt: number): void {
    const record = this.bodies.get(body);
    if (!record) {
      this.unknownBodies.add(body);
      return;
    }
    record.receives.push({ messageId, startedAt, phase: this.currentPhase() });
    this.phaseCounts().receives += 1;
  }

  /** Before a delete goes out: a message a delete may have reached can be gone legitimately. */
  deleting(body: string): void {
    this.bodies.get(body)!.deleteTriedPhase ??= this.currentPhase();
  }

  deleteAcked(body: string, at: number): void {
    const record = this.bodies.get(body)!;
    record.deleteAckedAt ??= at;
    this.phaseCounts().deletesAcked += 1;
  }

  failed(): void {
    this.phaseCounts().failed += 1;
  }

  /** Acknowledged sends not received yet: what a drain still waits for. */
  unreceived(): number {
    let n = 0;
    for (const record of this.bodies.values()) if (record.ackedId !== undefined && record.receives.length === 0) n += 1;
    return n;
  }

  /** `finalPhase`: the phase of the server that was drained (after the last restart). */
  verdict(finalPhase: number): Verdict {
    const verdict: Verdict = { lost: [], resurrected: [], foreign: [...this.unknownBodies], sendsAcked: 0, deletesAcked: 0, duplicates: 0 };
    for (const [body, record] of this.bodies) {
      if (record.ackedId !== undefined) {
        verdict.sendsAcked += 1;
        if (record.receives.length === 0) verdict.lost.push(`${body} (${record.ackedId})`);
        else if (
          (record.deleteTriedPhase === undefined || record.deleteTriedPhase >= finalPhase) &&
          !record.receives.some((r) => r.phase >= finalPhase)
        ) {
          verdict.lost.push(`${body} (${record.ackedId}): received before a kill, never delivered after the last restart`);
        }
      }
      if (record.deleteAckedAt !== undefined) {
        verdict.deletesAcked += 1;
        const after = record.receives.find((r) => r.startedAt > record.deleteAckedAt!);
        if (after) verdict.resurrected.push({ body, deleteAckedAt: record.deleteAckedAt, receivedBy: after });
      }
      if (record.receives.length > 1) verdict.duplicates += 1;
      // A message keeps its id across redeliveries and restarts.
      const ids = new Set(record.receives.map((r) => r.messageId));
      if (record.ackedId !== undefined) ids.add(record.ackedId);
      if (ids.size > 1) verdict.foreign.push(`${body}: ids ${[...ids].join(", ")}`);
    }
    return verdict;
  }
}
