// A CalDAV calendar collection (RFC 4791): Radicale, Nextcloud, SOGo, iCloud. PROPFIND asks for the
// collection's ctag / sync-token (one small request while nothing changed), and only then a REPORT
// calendar-query fetches the events overlapping the window; ical.js expands them like a feed.
import { XMLParser } from 'fast-xml-parser';
import { type CalendarSource, FETCH_TIMEOUT_MS, SourceError } from './source.js';

export interface CalDavOptions {
  /** the calendar collection, e.g. https://dav.example.se/anna/calendar/ */
  url: string;
  username?: string;
  password?: string;
}

const PROPFIND = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/">
  <d:prop><cs:getctag/><d:sync-token/><d:getetag/></d:prop>
</d:propfind>`;

const utc = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

const query = (from: Date, to: Date) => `<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:getetag/><c:calendar-data/></d:prop>
  <c:filter>
    <c:comp-filter name="VCALENDAR">
      <c:comp-filter name="VEVENT"><c:time-range start="${utc(from)}" end="${utc(to)}"/></c:comp-filter>
    </c:comp-filter>
  </c:filter>
</c:calendar-query>`;

const xml = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => name === 'response',
});

interface Prop {
  getctag?: unknown;
  'sync-token'?: unknown;
  getetag?: unknown;
  'calendar-data'?: unknown;
}

function props(body: string): Prop[] {
  let doc: { multistatus?: { response?: { propstat?: unknown }[] } };
  try {
    doc = xml.parse(body);
  } catch (e) {
    throw new SourceError(`not a CalDAV multistatus: ${(e as Error).message}`);
  }
  const responses = doc.multistatus?.response;
  if (!responses) throw new SourceError('not a CalDAV multistatus response');
  return responses.flatMap((r) => {
    const stats = Array.isArray(r.propstat) ? r.propstat : [r.propstat];
    return stats
      .filter((s): s is { prop: Prop; status?: string } => typeof s === 'object' && s !== null && 'prop' in s)
      .filter((s) => !s.status || / 200 /.test(String(s.status)))
      .map((s) => s.prop);
  });
}

export function calDavSource(options: CalDavOptions): CalendarSource {
  const url = new URL(options.url);
  const headers: Record<string, string> = { 'content-type': 'application/xml; charset=utf-8' };
  if (options.username !== undefined)
    headers.authorization = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;

  const request = async (method: string, depth: string, body: string) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { ...headers, depth },
        body,
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch (e) {
      throw new SourceError(`cannot reach CalDAV server: ${(e as Error).message}`);
    }
    if (response.status !== 207)
      throw new SourceError(`CalDAV ${method}: HTTP ${response.status} ${response.statusText}`);
    return props(await response.text());
  };

  return {
    label: `caldav ${url.host}${url.pathname}`,
    async fetch(previous, window) {
      const [collection] = await request('PROPFIND', '0', PROPFIND);
      const tag = String(collection?.getctag ?? collection?.['sync-token'] ?? collection?.getetag ?? '');
      // The window moves every day: a day's worth of the same tag still asks again once per day.
      const version = tag ? `${tag}|${utc(window.from).slice(0, 8)}` : undefined;
      if (version !== undefined && previous.etag === version) return { changed: false };
      const events = await request('REPORT', '1', query(window.from, window.to));
      const calendars = events
        .map((p) => p['calendar-data'])
        .filter((d): d is string => typeof d === 'string');
      return { changed: true, calendars, validators: version ? { etag: version } : {} };
    },
  };
}
