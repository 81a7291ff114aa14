// iCalendar text → the entries that touch a window, with recurrence expanded by ical.js (RRULE, RDATE,
// EXDATE, moved or cancelled occurrences by RECURRENCE-ID). Times become instants here: a TZID that
// Intl knows uses the runtime's zone data (2027-03-28 and 2027-10-31 included); other TZIDs (Exchange's
// "W. Europe Standard Time") use the feed's VTIMEZONE; floating times and all-day dates are the org's.
import ICAL from 'ical.js';
import { fromLocal } from '../../rules/time.js';

export interface CalendarEntry {
  uid: string;
  summary: string;
  start: Date;
  end: Date;
  /** DATE values: the end is the local midnight after the last day (RFC 5545's exclusive DTEND) */
  allDay: boolean;
  /** CLASS:PRIVATE or CONFIDENTIAL */
  private: boolean;
}

export interface CalendarWindow {
  from: Date;
  to: Date;
}

export class FeedError extends Error {}

// A daily series from years back still expands in well under a second; past this it is a bad feed.
const MAX_OCCURRENCES = 20_000;

const knownZones = new Map<string, boolean>();
function intlKnows(tzid: string): boolean {
  let known = knownZones.get(tzid);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tzid });
      known = true;
    } catch {
      known = false;
    }
    knownZones.set(tzid, known);
  }
  return known;
}

function instant(t: ICAL.Time, tzid: string | undefined, orgZone: string): Date {
  const wall = (zone: string) =>
    new Date(fromLocal(t.year, t.month, t.day, t.hour, t.minute, zone).getTime() + t.second * 1000);
  if (t.isDate) return fromLocal(t.year, t.month, t.day, 0, 0, orgZone);
  if (t.zone === ICAL.Timezone.utcTimezone) return new Date(t.toUnixTime() * 1000);
  if (tzid && intlKnows(tzid)) return wall(tzid);
  if (t.zone && t.zone !== ICAL.Timezone.localTimezone) return new Date(t.toUnixTime() * 1000);
  return wall(orgZone);
}

function tzidOf(event: ICAL.Event, name: 'dtstart' | 'dtend'): string | undefined {
  const tzid = event.component.getFirstProperty(name)?.getParameter('tzid');
  return typeof tzid === 'string' ? tzid : undefined;
}

function entryOf(
  event: ICAL.Event,
  start: ICAL.Time,
  end: ICAL.Time,
  orgZone: string,
): CalendarEntry | undefined {
  if (String(event.component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED')
    return undefined;
  const startTz = tzidOf(event, 'dtstart');
  const cls = String(event.component.getFirstPropertyValue('class') ?? 'PUBLIC').toUpperCase();
  const from = instant(start, startTz, orgZone);
  const to = instant(end, tzidOf(event, 'dtend') ?? startTz, orgZone);
  return {
    uid: event.uid,
    summary: event.summary ?? '',
    start: from,
    // a zero-length or inverted entry still marks its moment; merging needs end >= start
    end: to.getTime() < from.getTime() ? from : to,
    allDay: start.isDate,
    private: cls === 'PRIVATE' || cls === 'CONFIDENTIAL',
  };
}

/** Every entry overlapping `window`; throws FeedError on text that is not an iCalendar VCALENDAR. */
export function parseCalendar(text: string, window: CalendarWindow, orgZone: string): CalendarEntry[] {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (e) {
    throw new FeedError(`not iCalendar: ${(e as Error).message}`);
  }
  if (root.name !== 'vcalendar') throw new FeedError(`not iCalendar: top component is ${root.name}`);
  const vevents = root.getAllSubcomponents('vevent');
  const exceptions = new Map<string, ICAL.Component[]>();
  const masters: ICAL.Component[] = [];
  for (const c of vevents) {
    if (!c.hasProperty('dtstart')) continue; // nothing to place in time
    if (c.hasProperty('recurrence-id')) {
      const uid = String(c.getFirstPropertyValue('uid'));
      exceptions.set(uid, [...(exceptions.get(uid) ?? []), c]);
    } else masters.push(c);
  }
  const from = window.from.getTime();
  const to = window.to.getTime();
  const out: CalendarEntry[] = [];
  const keep = (e: CalendarEntry | undefined) => {
    if (e && e.end.getTime() > from && e.start.getTime() < to) out.push(e);
  };
  for (const master of masters) {
    const event = new ICAL.Event(master, {
      exceptions: exceptions.get(String(master.getFirstPropertyValue('uid'))) ?? [],
    });
    if (!event.isRecurring()) {
      keep(entryOf(event, event.startDate, event.endDate, orgZone));
      continue;
    }
    const it = event.iterator();
    for (let n = 0; ; n++) {
      if (n >= MAX_OCCURRENCES) throw new FeedError(`${event.uid}: more than ${MAX_OCCURRENCES} occurrences`);
      const next = it.next();
      if (!next) break;
      // occurrences come in start order: past the window (a day's slack for zones), stop
      if (next.toUnixTime() * 1000 > to + 86_400_000) break;
      const d = event.getOccurrenceDetails(next);
      keep(entryOf(d.item, d.startDate, d.endDate, orgZone));
    }
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime() || a.uid.localeCompare(b.uid));
}
