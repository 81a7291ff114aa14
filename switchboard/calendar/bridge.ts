// The calendar bridge: polls each person's calendar, and refers their phone from it through the broker
// as the `calendar` authority. Per person it keeps the newest presence seen and the last good calendar;
// a feed that fails keeps that schedule (and says so in status()), and a change by hand is left alone
// (decide.ts). Every write goes through the contract's encode; every presence read through decode.

import { createLogger } from '../../log/logger.js';
import type { BrokerLogin } from '../../mqtt/client.js';
import { createClient, reportConnectionErrors } from '../../mqtt/client.js';
import {
  type Actor,
  type CalendarStatus,
  decode,
  type Presence,
  RejectionCounter,
  supersedes,
  topicFor,
} from '../../protocol/index.js';
import { type Clock, systemClock } from '../../rules/clock.js';
import { DEFAULT_POLICY, type OrgPolicy, policyFromOrg } from '../../rules/policy.js';
import { publishMessage } from '../publish.js';
import { type CalendarEntry, FeedError, parseCalendar } from './calendar-entries.js';
import { decide } from './decide.js';
import type { PrefixRule } from './prefixes.js';
import { scheduleFrom } from './schedule.js';
import type { CalendarSource, Validators } from './source.js';

const log = createLogger('calendar');
const DAY = 86_400_000;

export interface CalendarPerson {
  ext: string;
  source: CalendarSource;
}

export interface BridgeOptions {
  brokerUrl: string;
  login?: BrokerLogin;
  org: string;
  people: readonly CalendarPerson[];
  rules: readonly PrefixRule[];
  gapMinutes: number;
  privateReason: string;
  pollMs: number;
  /** how far ahead entries are read (a vacation's return date must be inside; default 60 days) */
  windowDays?: number;
  /** how long the broker must stay quiet after subscribing before retained presences count as read */
  settleMs?: number;
  clock?: Clock;
}

export interface CalendarBridge {
  /** resolves once connected, the retained presences read and every feed polled once */
  ready: Promise<void>;
  /** polls one person's feed now (or everyone's) and applies the result */
  poll(ext?: string): Promise<void>;
  /** how reading the person's calendar goes, as published on calendar/{ext} */
  status(ext: string): CalendarStatus | undefined;
  /** the newest presence seen for `ext` */
  presence(ext: string): Presence | null;
  rejections: RejectionCounter;
  stop(): Promise<void>;
}

interface PersonState {
  person: CalendarPerson;
  current: Presence | null;
  calendars: string[] | null;
  validators: Validators;
  status: CalendarStatus;
  /** what calendar/{ext} last said (published when ok or the reason changes) */
  told?: CalendarStatus;
  timer?: unknown;
  wake?: unknown;
}

export function startCalendarBridge(options: BridgeOptions): CalendarBridge {
  const clock = options.clock ?? systemClock;
  const actor: Actor = { kind: 'calendar', id: `calendar-${options.org}` };
  const rejections = new RejectionCounter(log);
  const windowMs = (options.windowDays ?? 60) * DAY;
  const people = new Map<string, PersonState>(
    options.people.map((person) => [
      person.ext,
      {
        person,
        current: null,
        calendars: null,
        validators: {},
        status: { v: 1, ok: true, at: new Date(0).toISOString(), lastGood: null, failures: 0 },
      },
    ]),
  );
  let policy: OrgPolicy = DEFAULT_POLICY;
  let settled = false;
  let stopped = false;

  const client = createClient({
    url: options.brokerUrl,
    clientId: `hanvisa-calendar-${options.org}-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    reconnectMs: 1000,
    ...options.login,
  });
  reportConnectionErrors(client, log);

  const windowAt = (now: number) => ({ from: new Date(now - DAY), to: new Date(now + windowMs) });

  const entriesOf = (calendars: readonly string[], now: number): CalendarEntry[] =>
    calendars.flatMap((text) => parseCalendar(text, windowAt(now), policy.timeZone));

  /** Decides and publishes for one person from the last good calendar; sets the wake timer. */
  const apply = async (state: PersonState) => {
    if (!settled || stopped || state.calendars === null || !client.connected) return;
    const now = clock.now();
    const blocks = scheduleFrom(entriesOf(state.calendars, now), {
      rules: options.rules,
      gapMinutes: options.gapMinutes,
      calendar: policy,
    });
    const decision = decide(state.current, blocks, {
      now: new Date(now),
      actor,
      reasons: policy.reasons,
      privateReason: options.privateReason,
    });
    if (state.wake !== undefined) clock.clearTimeout(state.wake);
    state.wake = undefined;
    if (decision.wake) {
      // timers beyond ~24 days overflow; the poll re-decides long before anyway
      const delay = Math.min(decision.wake.getTime() - now, DAY);
      state.wake = clock.setTimeout(() => void apply(state).catch(failed(state)), Math.max(0, delay));
    }
    if (decision.publish) {
      state.current = decision.publish;
      await publishMessage(client, {
        kind: 'presence',
        org: options.org,
        ext: state.person.ext,
        body: decision.publish,
      });
      log.info('referral from calendar', {
        ext: state.person.ext,
        status: decision.publish.status,
        reason: decision.publish.reason,
        until: decision.publish.until,
      });
    }
  };

  const failed = (state: PersonState) => (e: unknown) =>
    log.warn('calendar apply failed', { ext: state.person.ext, error: (e as Error).message });

  const pollOne = async (state: PersonState) => {
    const now = clock.now();
    try {
      const result = await state.person.source.fetch(state.validators, windowAt(now));
      if (result.changed) {
        // a feed that does not parse is refused whole: the last good schedule stays
        entriesOf(result.calendars, now);
        state.calendars = result.calendars;
        state.validators = result.validators;
      }
      const at = new Date(now).toISOString();
      state.status = { v: 1, ok: true, at, lastGood: at, failures: 0 };
    } catch (e) {
      const error = (e instanceof FeedError ? `bad calendar: ${e.message}` : (e as Error).message).slice(
        0,
        300,
      );
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
    await tell(state);
    await apply(state);
  };

  /** Publishes calendar/{ext} when the feed starts or stops failing, or fails for another reason. */
  const tell = async (state: PersonState, again = false) => {
    const told = state.told;
    if (!again && told && told.ok === state.status.ok && told.error === state.status.error) return;
    if (!client.connected) return;
    state.told = state.status;
    await publishMessage(client, {
      kind: 'calendar-status',
      org: options.org,
      ext: state.person.ext,
      body: state.status,
    });
  };

  const schedulePoll = (state: PersonState, delay: number) => {
    if (stopped) return;
    state.timer = clock.setTimeout(() => {
      pollOne(state)
        .catch(failed(state))
        .finally(() => schedulePoll(state, options.pollMs));
    }, delay);
  };

  client.on('message', (topic, payload) => {
    const result = decode(topic, payload);
    if (!result.ok) return rejections.record(result);
    const m = result.message;
    if (m.kind === 'directory-org') {
      policy = policyFromOrg(m.body);
      for (const state of people.values()) void apply(state).catch(failed(state));
      return;
    }
    if (m.kind !== 'presence') return;
    const state = people.get(m.ext);
    if (!state) return;
    if (m.body === null) state.current = null;
    else if (supersedes(m.body, state.current)) state.current = m.body;
    else return;
    void apply(state).catch(failed(state));
  });

  // Settled once no retained presence has arrived for settleMs after the subscription (MQTT 3.1.1 has
  // no end-of-retained marker): deciding before that would build on a presence we have not seen.
  const settle = () =>
    new Promise<void>((resolve) => {
      let timer: unknown;
      const quiet = () => {
        if (timer !== undefined) clock.clearTimeout(timer);
        timer = clock.setTimeout(() => {
          client.off('message', quiet);
          resolve();
        }, options.settleMs ?? 500);
      };
      client.on('message', quiet);
      quiet();
    });

  const ready = new Promise<void>((resolve, reject) => {
    client.on('connect', () => {
      (async () => {
        const exts = [...people.keys()];
        await client.subscribeAsync(
          [
            topicFor({ kind: 'directory-org', org: options.org }),
            ...exts.map((ext) => topicFor({ kind: 'presence', org: options.org, ext })),
          ],
          { qos: 1 },
        );
        if (!settled) {
          await settle();
          settled = true;
          await Promise.all([...people.values()].map((s) => pollOne(s)));
          // spread the polls over the interval, so a thousand feeds are not fetched in one burst
          let i = 0;
          for (const s of people.values())
            schedulePoll(s, options.pollMs + Math.floor((options.pollMs * i++) / people.size));
        } else {
          // after a reconnect, as the authority for what it wrote: say it again, in case the broker
          // lost its store; then catch up on what changed meanwhile
          for (const s of people.values()) {
            if (s.current?.by.kind === 'calendar')
              await publishMessage(client, {
                kind: 'presence',
                org: options.org,
                ext: s.person.ext,
                body: s.current,
              });
            if (s.told) await tell(s, true);
            await apply(s);
          }
        }
      })().then(resolve, reject);
    });
  });
  ready.catch((e) => log.error('calendar bridge failed to start', { error: (e as Error).message }));

  return {
    ready,
    async poll(ext) {
      const states =
        ext === undefined ? [...people.values()] : [people.get(ext)].filter((s) => s !== undefined);
      await Promise.all(states.map((s) => pollOne(s)));
    },
    status: (ext) => people.get(ext)?.status,
    presence: (ext) => people.get(ext)?.current ?? null,
    rejections,
    async stop() {
      stopped = true;
      for (const s of people.values()) {
        if (s.timer !== undefined) clock.clearTimeout(s.timer);
        if (s.wake !== undefined) clock.clearTimeout(s.wake);
      }
      await client.endAsync(!client.connected);
    },
  };
}
