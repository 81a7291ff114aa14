// What the figures' reducer carries from one event to the next (and from one rollup to the next, as
// JSON): each person's referral, each department's tally and open alarm, each desk's link, the open
// phone messages and queued calls, and whether the recorder was up. No history: that is in the rows.
import { DEFAULT_REASONS, type PhoneHours, type ReasonDefinition } from '../../../protocol/index.js';
import { DEFAULT_POLICY } from '../../../rules/policy.js';

export interface PersonState {
  dept: string | null;
  status: 'available' | 'away' | null;
  reason: string | null;
  since: string | null;
  until: number | null;
  /** the person's own phone hours (directory/person, SAMSA §7); absent: the department's */
  hours?: PhoneHours[];
}

export interface DeptState {
  hours: PhoneHours[];
  mustAnswer: boolean;
  queue: string | null;
  /** people whose state is known, and of those available */
  known: number;
  available: number;
  /** the available with phone hours of their own: they staff it only within those (absent in older states) */
  timed?: string[];
  /** since when nobody known is available (not yet counted into the rows), null when someone is */
  emptySince: number | null;
  /** the alarm in progress: its start and how far it has been counted */
  alarm: { start: number; end: number } | null;
}

export interface DeviceState {
  ext: string | null;
  /** offline since, not yet counted; null when online or unknown */
  offlineSince: number | null;
}

export interface OpenMessage {
  takenAt: number;
  deadline: number;
  late: boolean;
  /** taken before a recorder gap: its handling time is unknown */
  gap: boolean;
  /** held on its own topic (mwi/{ext}/msg/{id}): only that topic's clear handles it */
  topic?: boolean;
}

/** A call to a person under way (calls.ts): the person called, its last routing, what was counted. */
export interface ExtCall {
  /** the person called: every step of the call counts for them */
  ext: string;
  /** when it was last heard of (receipt ms) */
  t: number;
  to?: 'desk' | 'forward' | 'switchboard' | undefined;
  target?: string | undefined;
  cause?: string | undefined;
  transfer?: true;
  answered?: true;
  unanswered?: true;
  /** the transfer's outcome is counted */
  settled?: true;
}

export interface OrgSettings {
  timeZone: string;
  workday: { from: string; to: string };
  workdays: number[];
  /** the org's listed holidays (directory/org): no phone hours, no working hours (absent in older saved states) */
  holidays?: string[];
  onReturn: 'overdue' | 'reopen';
  callback: 'same-day' | 'next-working-day';
  /**
   * the codes of the catalogue's public reasons (directory/org `reasons`; absent: the default
   * catalogue's); any other code is private: counted for the department only (docs/recorder.md)
   */
  publicReasons?: string[];
}

export interface TimelineState {
  org: string;
  /** how far time has been accounted (receipt ms) */
  t: number;
  /** when the recorder went down, while it is down */
  downSince: number | null;
  /** the recorder sessions up now (absent in states saved before sessions were tracked) */
  live?: string[];
  settings: OrgSettings;
  people: Record<string, PersonState>;
  depts: Record<string, DeptState>;
  devices: Record<string, DeviceState>;
  /** ext → message id → */
  messages: Record<string, Record<string, OpenMessage>>;
  calls: Record<string, { queue: string | null; enteredAt: number }>;
  /** calls to people under way, by call id (absent in states saved before extcall/{ext}) */
  extCalls?: Record<string, ExtCall>;
  /** the earliest deadline of an open message not yet late (null: none), so most events skip the scan */
  nextDeadline?: number | null;
}

/** The shared rules' defaults (rules/policy.ts) until the organisation's directory/org says otherwise. */
export const DEFAULT_SETTINGS: OrgSettings = (({ timeZone, workday, workdays, onReturn, callback }) => ({
  timeZone,
  workday,
  workdays: [...workdays],
  onReturn,
  callback,
}))(DEFAULT_POLICY);

export function initialState(org: string, t: number): TimelineState {
  return {
    org,
    t,
    downSince: null,
    settings: { ...DEFAULT_SETTINGS },
    people: {},
    depts: {},
    devices: {},
    messages: {},
    calls: {},
  };
}

export function deptOf(state: TimelineState, id: string): DeptState {
  let d = state.depts[id];
  if (!d) {
    d = { hours: [], mustAnswer: false, queue: null, known: 0, available: 0, emptySince: null, alarm: null };
    state.depts[id] = d;
  }
  return d;
}

/** The codes of a catalogue's public reasons. */
export const publicCodes = (catalogue: readonly ReasonDefinition[]): string[] =>
  catalogue.filter((r) => r.privacy === 'public').map((r) => r.code);
const DEFAULT_PUBLIC_REASONS = publicCodes(DEFAULT_REASONS);

/** Whether a reason is private (sick, vacation): health and family data, never counted per person. */
export const isPrivateReason = (settings: OrgSettings, reason: string | null): boolean =>
  reason !== null && !(settings.publicReasons ?? DEFAULT_PUBLIC_REASONS).includes(reason);
