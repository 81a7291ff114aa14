// What the calendar bridge's features share: the session, the bridge's options, the organisation's
// policy (from directory/org) and, per person, the newest presence seen, the last good calendar and
// how reading it goes.
import type { Logger } from '../../log/logger.js';
import type { CalendarStatus, Presence } from '../../protocol/index.js';
import type { Clock } from '../../rules/clock.js';
import type { OrgPolicy } from '../../rules/policy.js';
import type { ContractSession } from '../../session/contract-session.js';
import { type CalendarEntry, parseCalendar } from './calendar-entries.js';
import type { NextAbsence } from './next-absence.js';
import type { BridgeOptions, CalendarPerson } from './options.js';
import type { Validators } from './source.js';

export const DAY = 86_400_000;

export interface PersonState {
  readonly person: CalendarPerson;
  /** the newest presence seen (or written) */
  current: Presence | null;
  /** the last good calendar: null until one was read */
  calendars: string[] | null;
  validators: Validators;
  /** how reading the calendar goes, without `next` */
  status: CalendarStatus;
  /** the next absence within the working day, from the last good calendar */
  next?: NextAbsence;
}

/** calendar/{ext}: how reading goes, with the next absence. */
export function statusBody(state: PersonState): CalendarStatus {
  return state.next ? { ...state.status, next: state.next } : state.status;
}

export interface BridgeContext {
  readonly session: ContractSession;
  readonly options: BridgeOptions;
  readonly clock: Clock;
  readonly log: Logger;
  readonly people: ReadonlyMap<string, PersonState>;
  /** the organisation's reasons, hours and zone; the defaults until directory/org arrives */
  policy: OrgPolicy;
  /** the retained presences are read: deciding before would build on a presence not seen yet */
  settled: boolean;
}

export function peopleOf(options: BridgeOptions): Map<string, PersonState> {
  const never = new Date(0).toISOString();
  return new Map(
    options.people.map((person) => [
      person.ext,
      {
        person,
        current: null,
        calendars: null,
        validators: {},
        status: { v: 1, ok: true, at: never, lastGood: null, failures: 0 },
      },
    ]),
  );
}

/** The entries are read from a day back (an entry under way) to `windowDays` ahead (a vacation's end). */
export function windowAt(ctx: BridgeContext, now: number): { from: Date; to: Date } {
  return { from: new Date(now - DAY), to: new Date(now + (ctx.options.windowDays ?? 60) * DAY) };
}

/** Every entry of the calendars in the window around `now`; throws FeedError on a bad one. */
export function entriesOf(ctx: BridgeContext, calendars: readonly string[], now: number): CalendarEntry[] {
  return calendars.flatMap((text) => parseCalendar(text, windowAt(ctx, now), ctx.policy.timeZone));
}
