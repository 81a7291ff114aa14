// The port to a person's calendar: one interface, with adapters for an iCalendar feed (URL or file:
// ics-source.ts) and CalDAV (caldav-source.ts). A source says whether anything changed since the
// validators it was given (ETag / Last-Modified, a file's mtime, a collection's ctag), so polling costs
// one conditional request when nothing did.

/** What a source hands back to be sent next time; opaque to the caller. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

export type FetchResult =
  | { changed: false }
  /** every iCalendar object the source holds for the window (a feed is one, CalDAV one per event) */
  | { changed: true; calendars: string[]; validators: Validators };

export interface CalendarSource {
  /** where it reads from, for logs and the board; never a password */
  readonly label: string;
  fetch(previous: Validators, window: { from: Date; to: Date }): Promise<FetchResult>;
}

/** A feed that could not be read: HTTP status, missing file, unreachable server. */
export class SourceError extends Error {}

export const FETCH_TIMEOUT_MS = 15_000;
