// When is another holder's drain slot free? Judged the way client-go's leader election does it
// (tools/leaderelection: observedRawRecord + observedTime): remember the Lease record as last seen
// and the time on OUR clock when it last changed; the slot is free once the record has not changed
// for leaseDurationSeconds of our own time. The remote renewTime is only compared with itself
// (did it change?), never with our clock, so a holder whose clock is minutes off keeps a live slot,
// and so does ours when our own clock is off.

/** The fields of a coordination.k8s.io Lease the judgement reads. */
export interface LeaseRecord {
  readonly holder: string;
  readonly renewTime: Date;
  readonly durationSeconds: number;
}

export interface LeaseObservation {
  /** The record as last seen: holder, renewTime and duration, as written by the holder. */
  readonly record: string;
  readonly durationSeconds: number;
  /** Our clock (ms) when we first saw this record. */
  readonly observedAtMs: number;
}

function recordOf(lease: LeaseRecord): string {
  return JSON.stringify([lease.holder, lease.renewTime.getTime(), lease.durationSeconds]);
}

/** The observation after reading `lease` at our time `nowMs`: unchanged record, unchanged observation time. */
export function observeLease(previous: LeaseObservation | undefined, lease: LeaseRecord, nowMs: number): LeaseObservation {
  const record = recordOf(lease);
  if (previous && previous.record === record) return previous;
  return { record, durationSeconds: lease.durationSeconds, observedAtMs: nowMs };
}

/**
 * True when the holder has not renewed for a whole lease duration as measured on our clock. A
 * Lease seen for the first time is never expired: we cannot know how long it has been unchanged,
 * so a crashed holder's slot is free one duration after we first look (as in client-go).
 */
export function expiredAsObserved(observation: LeaseObservation, nowMs: number): boolean {
  return observation.observedAtMs + observation.durationSeconds * 1000 <= nowMs;
}
