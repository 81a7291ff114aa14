// Polling each person's calendar source. Once the broker's retained presences are read (the first
// `settled`), every feed is read once (that is `ready`), then each on its own timer, spread over the
// interval so a thousand feeds are not fetched in one burst. A feed that fails or does not parse keeps
// the last good schedule and says so in its status; after every read the person is decided again.
import { type Feature, listening } from '../../../events/feature.js';
import { FeedError } from '../calendar-entries.js';
import { type BridgeContext, entriesOf, type PersonState, windowAt } from '../context.js';
import type { FeedStatus } from './feed-status.js';
import type { Referrals } from './referrals.js';

export interface Feeds extends Feature {
  /** resolves once every feed was read after the first settle */
  readonly ready: Promise<void>;
  poll(states: readonly PersonState[]): Promise<void>;
}

export function feedsFeature(ctx: BridgeContext, referrals: Referrals, status: FeedStatus): Feeds {
  const { clock, log, options } = ctx;
  const timers = new Map<string, unknown>();
  let stopped = false;
  let readAll: () => Promise<void> = () => Promise.resolve();
  const ready = new Promise<void>((resolve, reject) => {
    readAll = () => poll([...ctx.people.values()]).then(resolve, reject);
  });

  const read = async (state: PersonState) => {
    const now = clock.now();
    try {
      const result = await state.person.source.fetch(state.validators, windowAt(ctx, now));
      if (result.changed) {
        // a feed that does not parse is refused whole: the last good schedule stays
        entriesOf(ctx, result.calendars, now);
        state.calendars = result.calendars;
        state.validators = result.validators;
      }
      const at = new Date(now).toISOString();
      state.status = { v: 1, ok: true, at, lastGood: at, failures: 0 };
    } catch (e) {
      const message = e instanceof FeedError ? `bad calendar: ${e.message}` : (e as Error).message;
      const error = message.slice(0, 300);
      const failures = state.status.failures + 1;
      const { lastGood } = state.status;
      state.status = { v: 1, ok: false, at: new Date(now).toISOString(), lastGood, failures, error };
      log.warn('calendar feed failed; the last good schedule stays', {
        ext: state.person.ext,
        source: state.person.source.label,
        error,
        failures,
      });
    }
    // deciding first: a changed next absence then goes out in the one status publish
    await referrals.refer(state);
    await status.tell(state);
  };

  const poll = async (states: readonly PersonState[]) => {
    await Promise.all(states.map(read));
  };

  const schedule = (state: PersonState, delay: number) => {
    if (stopped) return;
    const again = () => {
      read(state)
        .catch((e: unknown) =>
          log.warn('calendar poll failed', { ext: state.person.ext, error: (e as Error).message }),
        )
        .finally(() => schedule(state, options.pollMs));
    };
    timers.set(state.person.ext, clock.setTimeout(again, delay));
  };

  const feature = listening(
    ctx.session.bus,
    {
      settled: () => {
        if (ctx.settled) return;
        ctx.settled = true;
        void readAll().then(() => {
          let i = 0;
          for (const state of ctx.people.values())
            schedule(state, options.pollMs + Math.floor((options.pollMs * i++) / ctx.people.size));
        });
      },
    },
    () => {
      stopped = true;
      for (const timer of timers.values()) clock.clearTimeout(timer);
    },
  );
  return { ...feature, ready, poll };
}
