// The board's columns, defined once: the snapshot's column order, which columns go as codes, and which
// the server redacts per viewer. wire.ts builds the snapshot rows, the delta rows and the redaction from
// this table, and the page reads the order from the snapshot's `columns`. A column's value is the
// model's Row field of the same name (model.ts builds it), except `desk`, the link the board derives.
import type { Row } from './model.js';

export interface Column {
  name: keyof Row | 'desk';
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
  { name: 'name' },
  { name: 'department', coded: true },
  { name: 'status', coded: true },
  { name: 'reason', coded: true, redacted: true },
  { name: 'since' },
  { name: 'until' },
  { name: 'title', coded: true },
  { name: 'direct' },
  { name: 'mobile' },
  { name: 'alt' },
  { name: 'note', redacted: true },
  { name: 'voicemail' },
  { name: 'messages' },
  { name: 'online' },
  { name: 'phoneMessages', redacted: true },
  { name: 'desk', redacted: true },
  { name: 'calendar' },
  { name: 'deviceWarnings' },
] as const satisfies readonly Column[];

type Named<C> = C extends { name: infer N } ? N : never;
export type ColumnName = Named<(typeof COLUMNS)[number]>;
export type CodedColumn = Named<Extract<(typeof COLUMNS)[number], { coded: true }>>;
export type RedactedColumn = Named<Extract<(typeof COLUMNS)[number], { redacted: true }>>;

export const SNAPSHOT_COLUMNS: readonly ColumnName[] = COLUMNS.map((c) => c.name);
export const CODED_COLUMNS = COLUMNS.flatMap((c) => ('coded' in c ? [c.name] : [])) as CodedColumn[];
