// Today's figures, kept as events arrive instead of replayed per request: the rollup's own reducer
// (figures/timeline.ts), started from the rollup's saved state and resumed with the events stored since
// the last request. A request applies only what is new, then answers from a fork of the timeline
// flushed to "now", so it costs the same at 17:00 as at 08:00, and the figures are exactly the replay's
// (liveTimeline in rollup.ts; today.property.test.ts holds the two equal):
// - the newest LATE_ORD of the log is held back (applied to the fork only, again next time): another
//   recorder's batch may still arrive behind the newest event;
// - an append that came later than that (storage/port.ts EventMarks), a new rollup (midnight), or a
//   "now" before what was applied: start again from the saved state, as the replay does.
import { Timeline } from './figures/timeline.js';
import type { RecordedEvent } from './recorded-events.js';
import { liveDown, startingState } from './rollup.js';
import { LATE_ORD, type Storage } from './storage/port.js';

interface Resumed {
  /** the rollup's through it started from (undefined: no rollup yet, from the first event's day) */
  through: number | undefined;
  timeline: Timeline;
  /** every stored event before this receipt order is applied, none at or after it */
  next: number;
  /** the log's append count when it last read (EventMarks.seq) */
  seq: number;
}

export class TodayFigures {
  private readonly resumed = new Map<string, Resumed>();
  /** one request at a time per organisation: two would apply the same events twice */
  private readonly queue = new Map<string, Promise<unknown>>();

  constructor(private readonly storage: Storage) {}

  /**
   * Today so far for `org`, flushed to `until` (now, or when the recorder was last seen if it is down);
   * as liveTimeline. The caller reads the result before its next await: the rows it did not change
   * are the resumed timeline's own.
   */
  timeline(org: string, until: number, downSince?: number): Promise<Timeline | undefined> {
    const run = (this.queue.get(org) ?? Promise.resolve()).then(() => this.answer(org, until, downSince));
    const settled = run.catch(() => {});
    this.queue.set(org, settled);
    void settled.then(() => {
      if (this.queue.get(org) === settled) this.queue.delete(org);
    });
    return run;
  }

  private async answer(org: string, until: number, downSince?: number): Promise<Timeline | undefined> {
    try {
      return await this.resume(org, until, downSince);
    } catch (e) {
      // half applied is no state to go on from
      this.resumed.delete(org);
      throw e;
    }
  }

  private async resume(org: string, until: number, downSince?: number): Promise<Timeline | undefined> {
    const { storage } = this;
    const through = await storage.rollupThrough(org);
    const marks = await storage.eventMarks();
    const upTo = until * 1000 + 1000;
    let r = this.resumed.get(org);
    if (!r || r.through !== through || marks.lateSeq > r.seq || upTo < r.next) {
      this.resumed.delete(org);
      const state = await startingState(storage, org);
      if (!state) return undefined;
      r = { through, timeline: new Timeline(state), next: state.t * 1000, seq: marks.seq };
      this.resumed.set(org, r);
    }
    const events = await storage.events(org, r.next, upTo);
    const cut = Math.min(upTo, marks.high - LATE_ORD);
    let i = 0;
    while (i < events.length && (events[i] as RecordedEvent).ord < cut)
      r.timeline.apply(events[i++] as RecordedEvent);
    r.next = Math.max(r.next, cut);
    r.seq = marks.seq;
    const answer = r.timeline.fork();
    for (const e of events.slice(i)) answer.apply(e);
    liveDown(answer, downSince);
    answer.flush(until);
    return answer;
  }
}
