// The board's columns, defined once: the snapshot's column order, which columns go as codes, and which
// the server redacts per viewer. wire.ts builds the snapshot rows, the delta rows and the redaction from
// this table, and the page reads the order from the snapshot's `columns`. A column's value is the
// model's Row field of the same name: copied from the directory's person or the desk's presence
// (`from`), or worked out by model.ts (counts, devices, calendar); `desk` is the link wire.ts derives.
import type { Person, Presence } from '../../protocol/index.js';
import type { Row } from './row.js';

export interface Column {
  name: keyof Row | 'desk';
  /** the row copies this field of the person (directory) or the presence, null when absent */
  from?: 'person' | 'presence';
  /** sent as an index into the snapshot's `codes` list of the same name: few distinct values (titles repeat too) */
  coded?: true;
  /** what the viewer sees depends on their role (wire.ts, Redaction) */
  redacted?: true;
}

/**
 * Snapshot order: the fields most often set first, so that trailing empty ones can be cut off. On the
 * wire an empty field (null, 0) is null in a snapshot row and left out of a delta's row.
 */
export const COLUMNS = [
  { name: 'org', coded: true },
  { name: 'ext' },
  { name: 'name', from: 'person' },
  { name: 'department', from: 'person', coded: true },
  { name: 'status', from: 'presence', coded: true },
  { name: 'reason', from: 'presence', coded: true, redacted: true },
  { name: 'since', from: 'presence' },
  { name: 'until', from: 'presence' },
  { name: 'title', from: 'person', coded: true },
  { name: 'direct', from: 'person', redacted: true },
  { name: 'mobile', from: 'person', redacted: true },
  { name: 'alt', from: 'presence' },
  { name: 'note', from: 'presence', redacted: true },
  { name: 'voicemail' },
  { name: 'messages' },
  { name: 'online' },
  { name: 'phoneMessages', redacted: true },
  { name: 'desk', redacted: true },
  { name: 'calendar' },
  { name: 'nextAbsence', redacted: true },
  { name: 'deviceWarnings' },
  { name: 'deviceVersions' },
  { name: 'line' },
  { name: 'panelUnplugged' },
  { name: 'phoneHours', from: 'person' },
  // issue 23: each number only to a role it may be given to (rules/numbers.ts)
  { name: 'email', from: 'person', redacted: true },
  { name: 'mobileExtension', from: 'person' },
  { name: 'visibility', from: 'person' },
  { name: 'keywords', from: 'person' },
  { name: 'voicemailSince' },
  { name: 'undelivered' },
] as const satisfies readonly Column[];

type Named<C> = C extends { name: infer N } ? N : never;
export type ColumnName = Named<(typeof COLUMNS)[number]>;
export type CodedColumn = Named<Extract<(typeof COLUMNS)[number], { coded: true }>>;
export type RedactedColumn = Named<Extract<(typeof COLUMNS)[number], { redacted: true }>>;

type From<S> = Named<Extract<(typeof COLUMNS)[number], { from: S }>>;

export const SNAPSHOT_COLUMNS: readonly ColumnName[] = COLUMNS.map((c) => c.name);
export const CODED_COLUMNS = COLUMNS.flatMap((c) => ('coded' in c ? [c.name] : [])) as CodedColumn[];
/** The row's fields copied from the person and from the presence (a change elsewhere in them does not show). */
export const PERSON_COLUMNS = COLUMNS.flatMap((c) =>
  'from' in c && c.from === 'person' ? [c.name] : [],
) as From<'person'>[] satisfies (keyof Person)[];
export const PRESENCE_COLUMNS = COLUMNS.flatMap((c) =>
  'from' in c && c.from === 'presence' ? [c.name] : [],
) as From<'presence'>[] satisfies (keyof Presence)[];
