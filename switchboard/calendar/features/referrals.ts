// Deciding and publishing referrals (decide.ts), as the `calendar` authority. Decides for a person
// again whenever an input changes: their calendar was read (the feeds feature asks), their presence
// changed (the newest kept), the organisation's settings came, or an entry starts or ends (a wake
// timer). After a reconnect it says again what it wrote, in case the broker lost its store. From the
// same schedule it keeps the person's next absence within the working day (next-absence.ts) and has
// the status feature publish it when it changes.
import { type Feature, listening } from '../../../events/feature.js';
import { type Actor, type Presence, supersedes } from '../../../protocol/index.js';
import { policyFromOrg } from '../../../rules/policy.js';
import { type BridgeContext, DAY, entriesOf, type PersonState } from '../context.js';
import { decide } from '../decide.js';
import { nextAbsence } from '../next-absence.js';
import { scheduleFrom } from '../schedule.js';
import type { FeedStatus } from './feed-status.js';

export interface Referrals extends Feature {
  /** decides for the person from the last good calendar, publishes what changed, sets the wake timer */
  refer(state: PersonState): Promise<void>;
}

export function referralsFeature(ctx: BridgeContext, status: Pick<FeedStatus, 'tell'>): Referrals {
  const { clock, log, options, session } = ctx;
  const actor: Actor = { kind: 'calendar', id: `calendar-${options.org}` };
  const wakes = new Map<string, unknown>();
  let stopped = false;

  const failed = (state: PersonState) => (e: unknown) =>
    log.warn('calendar apply failed', { ext: state.person.ext, error: (e as Error).message });
  const decideAgain = (state: PersonState) => void refer(state).catch(failed(state));
  const publish = (ext: string, body: Presence) =>
    session.publish({ kind: 'presence', org: options.org, ext, body });

  const refer = async (state: PersonState) => {
    if (!ctx.settled || stopped || state.calendars === null || !session.connected) return;
    const now = clock.now();
    const blocks = scheduleFrom(entriesOf(ctx, state.calendars, now), {
      rules: options.rules,
      gapMinutes: options.gapMinutes,
      calendar: ctx.policy,
    });
    const decision = decide(state.current, blocks, {
      now: new Date(now),
      actor,
      reasons: ctx.policy.reasons,
      privateReason: options.privateReason,
    });
    const upcoming = nextAbsence(blocks, now, {
      calendar: ctx.policy,
      reasons: ctx.policy.reasons,
      privateReason: options.privateReason,
    });
    const ext = state.person.ext;
    const wake = wakes.get(ext);
    if (wake !== undefined) clock.clearTimeout(wake);
    wakes.delete(ext);
    // decided again when the referral can change, or the next absence (it starts, the day ends)
    const wakeAt = Math.min(decision.wake?.getTime() ?? Number.POSITIVE_INFINITY, upcoming.changesAt);
    if (Number.isFinite(wakeAt)) {
      // timers beyond ~24 days overflow; the poll re-decides long before anyway
      const delay = Math.min(wakeAt - now, DAY);
      wakes.set(
        ext,
        clock.setTimeout(() => decideAgain(state), Math.max(0, delay)),
      );
    }
    if (JSON.stringify(state.next) !== JSON.stringify(upcoming.next)) {
      if (upcoming.next) state.next = upcoming.next;
      else delete state.next;
      await status.tell(state);
    }
    if (decision.publish) {
      state.current = decision.publish;
      await publish(ext, decision.publish);
      log.info('referral from calendar', {
        ext,
        status: decision.publish.status,
        reason: decision.publish.reason,
        until: decision.publish.until,
      });
    }
  };

  /** After a reconnect: what it wrote, again (the broker may have lost it), then what changed meanwhile. */
  const reassert = async (state: PersonState) => {
    if (state.current?.by.kind === 'calendar') await publish(state.person.ext, state.current);
    await refer(state);
  };

  const feature = listening(
    session.bus,
    {
      'directory-org': ({ message }) => {
        ctx.policy = policyFromOrg(message.body);
        for (const state of ctx.people.values()) decideAgain(state);
      },
      presence: ({ message }) => {
        const state = ctx.people.get(message.ext);
        if (!state) return;
        if (message.body === null) state.current = null;
        else if (supersedes(message.body, state.current)) state.current = message.body;
        else return;
        decideAgain(state);
      },
      // the first connect waits for the feeds; a later one is a reconnect
      subscribed: () => {
        if (!ctx.settled) return;
        for (const state of ctx.people.values()) reassert(state).catch(failed(state));
      },
    },
    () => {
      stopped = true;
      for (const wake of wakes.values()) clock.clearTimeout(wake);
    },
  );
  return { ...feature, refer };
}
