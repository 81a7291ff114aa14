// Turns the event log into stored daily figures, one closed local day at a time: the reducer's state
// at each midnight is saved with that day's rows, so the next rollup (or a restarted recorder) goes on
// from there. Today is never stored: the statistics keep it as events arrive (today.ts). Then the GDPR purge.
// RollupRunner runs them for the recorder, one at a time.
import type { Logger } from '../../log/logger.js';
import { dayKey, dayStart, nextDay } from './figures/periods.js';
import { initialState, type TimelineState } from './figures/state.js';
import { Timeline } from './figures/timeline.js';
import type { RecordedEvent } from './recorded-events.js';
import { applyRecordsPlan, type RecordsContext, type RecordsResult } from './records.js';
import type { RecordsPlan } from './records-plan.js';
import type { Storage } from './storage/port.js';

export interface RollupResult {
  days: number;
  through: number | undefined;
  /** what the records plan deleted, and the archive files it wrote first */
  purged: RecordsResult;
}

/** The rollup's saved state, or a new one at the start of the first event's day; none without events. */
export async function startingState(storage: Storage, org: string): Promise<TimelineState | undefined> {
  const saved = await storage.rollupState(org);
  if (saved) return saved.state as TimelineState;
  const first = await storage.firstOrd(org);
  if (first === undefined) return undefined;
  const tz = initialState(org, 0).settings.timeZone;
  return initialState(org, dayStart(dayKey(Math.floor(first / 1000), tz), tz));
}

/**
 * Rolls up every closed day of `org` before the local day of `now`, then applies the records plan
 * (records.ts): without one, per-person rows and raw events older than `retentionDays` are deleted
 * once they are in the department figures.
 */
export async function rollup(
  storage: Storage,
  org: string,
  now: number,
  retentionDays: number,
  records?: Pick<RecordsContext, 'plan' | 'write'>,
): Promise<RollupResult> {
  const state = await startingState(storage, org);
  let days = 0;
  if (state) {
    for (;;) {
      const tz = state.settings.timeZone;
      const today = dayStart(dayKey(now, tz), tz);
      if (state.t >= today) break;
      const next = dayStart(nextDay(dayKey(state.t, tz)), tz);
      const timeline = new Timeline(state);
      for (const e of await storage.events(org, state.t * 1000, next * 1000)) timeline.apply(e);
      timeline.flush(next);
      await storage.saveRollup(
        { org, through: next, state },
        [...timeline.rows.values()],
        [...timeline.alarms.values()],
      );
      days++;
    }
  }
  let purged: RollupResult['purged'] = { rows: 0, events: 0, exported: [] };
  if (state)
    purged = await applyRecordsPlan(storage, {
      org,
      now,
      rolledUpTo: state.t,
      timeZone: state.settings.timeZone,
      plan: records?.plan,
      retentionDays,
      ...(records?.write ? { write: records.write } : {}),
    });
  return { days, through: state?.t, purged };
}

/**
 * The recorder's rollups of every recorded organisation (the named ones, else all in the store), one
 * at a time: the one at start, the timer's and one asked for never overlap. A failed organisation is
 * logged and tried again by the next run; `run` never rejects.
 */
export class RollupRunner {
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: Storage,
    private readonly orgs: readonly string[] | undefined,
    private readonly now: () => number,
    private readonly retentionDays: number,
    private readonly log: Logger,
    private readonly plan?: RecordsPlan,
  ) {}

  /** Rolls up after the run under way; resolves when this one is done. */
  run(): Promise<void> {
    // a store that cannot list its organisations must not stop every later run
    this.running = this.running
      .then(() => this.rollUpAll())
      .catch((e: unknown) => this.log.error('rollup failed', { error: (e as Error).message }));
    return this.running;
  }

  /** resolves once the runs asked for so far are done */
  idle(): Promise<void> {
    return this.running;
  }

  private async rollUpAll(): Promise<void> {
    for (const org of this.orgs?.length ? this.orgs : await this.storage.orgs()) {
      try {
        const result = await rollup(this.storage, org, this.now(), this.retentionDays, { plan: this.plan });
        if (result.days || result.purged.rows || result.purged.events)
          this.log.info('rolled up', { org, ...result });
      } catch (e) {
        this.log.error('rollup failed; tried again at the next interval', {
          org,
          error: (e as Error).message,
        });
      }
    }
  }
}

/**
 * Today so far, replayed: the saved state through the events since, up to `until` (now, or when the
 * recorder was last seen if it is down: what nobody recorded is a gap, not a continuation). The
 * statistics keep it incrementally instead (today.ts); this is the reference they are tested against.
 */
export async function liveTimeline(
  storage: Storage,
  org: string,
  until: number,
  downSince?: number,
): Promise<Timeline | undefined> {
  const state = await startingState(storage, org);
  if (!state) return undefined;
  const timeline = new Timeline(state);
  const events = await storage.events(org, state.t * 1000, until * 1000 + 1000);
  for (const e of events) timeline.apply(e);
  liveDown(timeline, downSince);
  timeline.flush(until);
  return timeline;
}

/** A recorder down since its last heartbeat: the live figures count the time since as a gap. */
export function liveDown(timeline: Timeline, downSince: number | undefined): void {
  if (downSince === undefined || downSince < timeline.state.t) return;
  const down: RecordedEvent = {
    id: 'live-down',
    org: '',
    ord: downSince * 1000,
    at: downSince,
    kind: 'recorder',
    subject: '',
    body: { phase: 'down' },
  };
  timeline.apply(down);
}
