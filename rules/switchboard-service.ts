// Whether the switchboard answers: open within its hours (never on a listed holiday), closed for
// lunch inside them (SAMSA: "under lunchstängning och efter kontorstidens slut läggs ett
// nattsvarsmeddelande in"), closed otherwise (Grästorp/Essunga: "efter kontorstid kopplas svarare in
// med information om att växeln är stängd"); with when that began and when it next changes, which
// the settings publisher needs to publish at each boundary.
import type { OrgInfo, PhoneHours, SwitchboardService } from '../protocol/index.js';
import { type HoursCalendar, inPhoneHours, instantWindowsOn, localDayAndClock } from './phone-hours.js';

export type ServiceState = SwitchboardService['state'];
type Settings = Pick<OrgInfo, 'timeZone' | 'holidays' | 'switchboardHours' | 'lunchClosure'>;

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
/** How far around now a change is looked for: a week covers every weekly pattern, plus Christmas. */
const SEARCH_DAYS = 9;
const DAY = 86_400_000;

function stateAt(
  t: number,
  hours: readonly PhoneHours[],
  lunch: PhoneHours[],
  cal: HoursCalendar,
): ServiceState {
  if (!inPhoneHours(hours, t, cal)) return 'closed';
  return inPhoneHours(lunch, t, cal) ? 'lunch' : 'open';
}

/** The local date `days` after `date`. */
function plusDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The switchboard's state at `at` with since and (within the search) until; null when the settings
 * give no switchboard hours (then nothing is published and the PBX keeps its own rules).
 */
export function switchboardServiceAt(at: number, settings: Settings): Omit<SwitchboardService, 'v'> | null {
  const hours = settings.switchboardHours;
  if (!hours || hours.length === 0) return null;
  const cal = { timeZone: settings.timeZone, holidays: settings.holidays };
  const lunch = settings.lunchClosure ? [{ days: EVERY_DAY, ...settings.lunchClosure }] : [];
  const state = stateAt(at, hours, lunch, cal);
  // every window edge of the days around: a state can change only there
  const today = localDayAndClock(at, cal.timeZone).date;
  const edges = new Set<number>();
  for (let d = -SEARCH_DAYS; d <= SEARCH_DAYS; d++) {
    const date = plusDays(today, d);
    for (const w of [...instantWindowsOn(date, hours, cal), ...instantWindowsOn(date, lunch, cal)])
      for (const t of w) edges.add(t);
  }
  const sorted = [...edges].sort((a, b) => a - b);
  // an edge is a change where the state just before it differs from the state at it
  const changes = sorted.filter((t) => stateAt(t - 1, hours, lunch, cal) !== stateAt(t, hours, lunch, cal));
  const since = changes.filter((t) => t <= at).at(-1) ?? at - SEARCH_DAYS * DAY;
  const until = changes.find((t) => t > at);
  return {
    state,
    since: new Date(since).toISOString(),
    ...(until !== undefined ? { until: new Date(until).toISOString() } : {}),
  };
}
