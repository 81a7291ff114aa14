// Small iCalendar documents for the calendar tests, and a fixture split into one object per UID as a
// CalDAV server stores them.
import ICAL from 'ical.js';

const stamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export function vevent(
  uid: string,
  summary: string,
  start: number,
  end: number,
  extra: string[] = [],
): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${stamp(Date.now())}`,
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(end)}`,
    `SUMMARY:${summary}`,
    ...extra,
    'END:VEVENT',
  ];
}

export function vcalendar(...events: string[][]): string {
  return `${['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//hanvisa//tests//EN', ...events.flat(), 'END:VCALENDAR'].join('\r\n')}\r\n`;
}

/** One VCALENDAR per UID (with the VTIMEZONEs), as CalDAV keeps a series and its exceptions together. */
export function splitByUid(text: string): Map<string, string> {
  const root = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const zones = root.getAllSubcomponents('vtimezone');
  const out = new Map<string, ICAL.Component>();
  for (const event of root.getAllSubcomponents('vevent')) {
    const uid = String(event.getFirstPropertyValue('uid'));
    let cal = out.get(uid);
    if (!cal) {
      cal = new ICAL.Component('vcalendar');
      cal.addPropertyWithValue('version', '2.0');
      cal.addPropertyWithValue('prodid', '-//hanvisa//tests//EN');
      for (const z of zones) cal.addSubcomponent(new ICAL.Component(z.toJSON()));
      out.set(uid, cal);
    }
    cal.addSubcomponent(new ICAL.Component(event.toJSON()));
  }
  return new Map([...out].map(([uid, cal]) => [uid, cal.toString()]));
}
