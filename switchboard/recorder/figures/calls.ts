// Calls in the figures. Queues (queue/{queueId}, call/{queueId}): the most waiting and longest wait,
// calls, answered, abandoned and their waits.
// Calls to a person (extcall/{ext}, the phone bridge's steps of one call joined by `call`):
// - unreferred: rang out unanswered while the person was not referred (Falkenberg: "färre samtal till
//   röstbrevlåda eller kontaktcenter på grund av att telefonen inte är hänvisad");
// - answered within N rings: each answer's ring time, kept as a per-second histogram so the organisation's
//   N and ring length apply when the figures are read (Guldborgsund: "inden 4 ring");
// - transferred correctly: an operator's transfer answered vs one that came back (Guldborgsund: "90 % af
//   alle samtaler stilles korrekt om").
// Each step counts once per call, so a repeat (QoS 1, two recorders on one store) changes nothing.
import type { ExtCallEvent, Queue } from '../../../protocol/index.js';
import type { CallEvent } from '../recorded-events.js';
import type { DailyRow, Metric } from './rows.js';
import type { ExtCall, TimelineState } from './state.js';

/** What the timeline lends the call figures: the rows a count goes into. */
export interface CallRows {
  /** the department row of a queue's department for the day of t */
  queueRow(t: number, queue: string | null | undefined): DailyRow;
  /** the person's row and their department's, for the day of t */
  personRows(t: number, ext: string): DailyRow[];
}

/** A call not heard of for this long is forgotten: its outcome, if any, came and was counted. */
const FORGET_MS = 3_600_000;

/** A queue's snapshot (queue/{queueId}): the day's most waiting and longest wait. */
export function queueSnapshot(rows: CallRows, id: string, q: Queue | null, t: number): void {
  if (!q) return;
  const row = rows.queueRow(t, id);
  row.queue_peak = Math.max(row.queue_peak, q.waiting);
  if (q.oldestSince) {
    const longest = Math.max(0, Date.parse(q.at) - Date.parse(q.oldestSince)) / 1000;
    row.queue_longest_s = Math.max(row.queue_longest_s, longest);
  }
}

export function queueCall(state: TimelineState, rows: CallRows, call: CallEvent, t: number): void {
  const at = Date.parse(call.at);
  const queued = state.calls[call.callId];
  if (call.phase === 'entered') {
    state.calls[call.callId] = { queue: call.queue ?? null, enteredAt: at };
    rows.queueRow(t, call.queue).calls += 1;
    return;
  }
  if (queued) {
    const row = rows.queueRow(t, queued.queue);
    const wait = String(Math.max(0, Math.round((at - queued.enteredAt) / 1000)));
    const histogram = call.phase === 'answered' ? row.answered_waits : row.abandoned_waits;
    histogram[wait] = (histogram[wait] ?? 0) + 1;
    row[call.phase] += 1;
  }
  delete state.calls[call.callId];
}

function add(rows: DailyRow[], metric: Metric): void {
  for (const row of rows) row[metric] += 1;
}

/** The first outcome of an operator's transfer decides it: answered, or back at the switchboard. */
function transferOutcome(
  call: ExtCall,
  rows: DailyRow[],
  metric: 'transfers_answered' | 'transfers_bounced',
) {
  if (!call.transfer || call.settled) return;
  call.settled = true;
  add(rows, metric);
}

/**
 * Whether a call that rang out rang at a desk that was not referred: the bridge's own routing says so
 * (`cause: available`); without a routing it heard (hanvisa was not asked, or failed open) the presence
 * the recorder knew decides.
 */
function unreferred(state: TimelineState, call: ExtCall): boolean {
  if (call.cause !== undefined && call.cause !== 'fail-open') return call.cause === 'available';
  return state.people[call.ext]?.status === 'available';
}

/** One step of a call to the person on `ext` (extcall/{ext}). */
export function extCall(state: TimelineState, rows: CallRows, ext: string, e: ExtCallEvent, t: number): void {
  state.extCalls ??= {};
  const calls = state.extCalls;
  let call = calls[e.call];
  // an operator's transfer of the same call to someone else is a new leg, counted for that person; a
  // call silent for an hour is a new one whether or not a flush has forgotten it yet (the figures do
  // not depend on where a rollup stopped)
  const stale = call !== undefined && t - call.t > FORGET_MS;
  if (!call || stale || (e.event === 'routed' && e.transfer && call.ext !== ext)) {
    call = { ext, t };
    calls[e.call] = call;
  }
  call.t = t;
  // the person called: their row and department carry every step of the call
  const counted = rows.personRows(t, call.ext);
  if (e.transfer && !call.transfer) {
    call.transfer = true;
    add(counted, 'transfers');
  }
  switch (e.event) {
    case 'routed':
      call.to = e.to;
      call.target = e.target;
      call.cause = e.cause;
      return;
    case 'answered': {
      if (call.answered) return;
      call.answered = true;
      transferOutcome(call, counted, 'transfers_answered');
      // the switchboard's answers are the queue's figures; these are the answers in the department
      const atSwitchboard = call.to === 'switchboard' && (e.target ?? ext) === call.target;
      if (atSwitchboard || e.ringSeconds === undefined) return;
      // whole seconds up: rang ≤ N × ring length exactly when its ceiling is (the limit is whole seconds)
      const seconds = String(Math.ceil(e.ringSeconds));
      for (const row of counted) row.ring_answers[seconds] = (row.ring_answers[seconds] ?? 0) + 1;
      return;
    }
    case 'unanswered':
      if (call.unanswered) return;
      call.unanswered = true;
      add(counted, 'unanswered');
      if (unreferred(state, call)) add(counted, 'unreferred');
      transferOutcome(call, counted, 'transfers_bounced');
      return;
    case 'bounced':
      transferOutcome(call, counted, 'transfers_bounced');
      return;
  }
}

/** Forgets the calls not heard of for an hour, so the saved state stays the size of the calls under way. */
export function forgetOldCalls(state: TimelineState, t: number): void {
  for (const [id, call] of Object.entries(state.extCalls ?? {}))
    if (t - call.t > FORGET_MS) delete state.extCalls?.[id];
}
