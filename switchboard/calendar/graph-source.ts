// Microsoft Graph's calendarView (GET /users/{id}/calendarView), for Microsoft 365 tenants that do not
// allow publishing ICS links. Graph expands series itself; each page of events is rendered as iCalendar
// here so that one parser (events.ts) reads every source the same way. Tested against recorded
// responses only (test/fixtures/calendar/graph-*.json): no live tenant is reachable from the tests.
import { type CalendarSource, FETCH_TIMEOUT_MS, SourceError } from './source.js';

export interface GraphOptions {
  /** the user whose calendar is read: an id or user principal name (anna@arjeplog.se) */
  user: string;
  /** an OAuth access token with Calendars.Read: from a file, or client credentials (switchboard/graph/) */
  token: () => string | Promise<string>;
  /** default https://graph.microsoft.com/v1.0 */
  base?: string;
}

interface GraphEvent {
  id?: unknown;
  subject?: unknown;
  sensitivity?: unknown;
  isAllDay?: unknown;
  isCancelled?: unknown;
  start?: { dateTime?: unknown };
  end?: { dateTime?: unknown };
}

// With Prefer outlook.timezone="UTC", every dateTime is UTC wall time: "2027-03-29T07:00:00.0000000".
const stamp = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/;

/** RFC 5545 TEXT escaping. */
const text = (s: string) =>
  s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

function vevent(e: GraphEvent): string[] {
  const start = stamp.exec(String(e.start?.dateTime ?? ''));
  const end = stamp.exec(String(e.end?.dateTime ?? ''));
  if (!start || !end || typeof e.id !== 'string')
    throw new SourceError('Graph event without id, start or end');
  // an all-day event runs from midnight to midnight of the person's days: dates, read in the org's zone
  const when = (m: RegExpExecArray, name: string) =>
    e.isAllDay === true
      ? `${name};VALUE=DATE:${m[1]}${m[2]}${m[3]}`
      : `${name}:${m[1]}${m[2]}${m[3]}T${m[4]}${m[5]}${m[6]}Z`;
  const sensitivity = String(e.sensitivity ?? 'normal');
  return [
    'BEGIN:VEVENT',
    `UID:${text(e.id)}`,
    when(start, 'DTSTART'),
    when(end, 'DTEND'),
    `SUMMARY:${text(String(e.subject ?? ''))}`,
    ...(sensitivity === 'private' || sensitivity === 'confidential' ? ['CLASS:PRIVATE'] : []),
    ...(e.isCancelled === true ? ['STATUS:CANCELLED'] : []),
    'END:VEVENT',
  ];
}

export function graphSource(options: GraphOptions): CalendarSource {
  const base = options.base ?? 'https://graph.microsoft.com/v1.0';
  return {
    label: `graph ${options.user}`,
    async fetch(_previous, window) {
      // calendarView has no ETag for the view: each poll reads it (paged, 100 a page)
      const query = new URLSearchParams({
        startDateTime: window.from.toISOString(),
        endDateTime: window.to.toISOString(),
        $select: 'id,subject,sensitivity,isAllDay,isCancelled,start,end',
        $top: '100',
      });
      let next: string | undefined =
        `${base}/users/${encodeURIComponent(options.user)}/calendarView?${query}`;
      const lines: string[] = [];
      for (let page = 0; next; page++) {
        if (page >= 100) throw new SourceError('Graph: more than 100 pages of events');
        let response: Response;
        try {
          response = await fetch(next, {
            headers: { authorization: `Bearer ${await options.token()}`, prefer: 'outlook.timezone="UTC"' },
            signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
          });
        } catch (e) {
          throw new SourceError(`cannot reach Graph: ${(e as Error).message}`);
        }
        if (!response.ok) throw new SourceError(`Graph: HTTP ${response.status} ${response.statusText}`);
        let body: { value?: unknown; '@odata.nextLink'?: unknown };
        try {
          body = (await response.json()) as typeof body;
        } catch {
          throw new SourceError('Graph: the response is not JSON');
        }
        if (!Array.isArray(body.value)) throw new SourceError('Graph: no "value" list in the response');
        for (const e of body.value as GraphEvent[]) lines.push(...vevent(e));
        const link = body['@odata.nextLink'];
        next = typeof link === 'string' ? link : undefined;
      }
      const calendar = [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//hanvisa//graph//EN',
        ...lines,
        'END:VCALENDAR',
      ];
      return { changed: true, calendars: [`${calendar.join('\r\n')}\r\n`], validators: {} };
    },
  };
}
