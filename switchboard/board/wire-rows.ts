// Rows on the wire and back: the snapshot's column order, the sparse form both carry, and the decoder
// the page (bundled from here) and the tests share. Type imports only, so the page's bundle stays small.
import type { Row } from './model.js';

/** A row as the page keeps it: every field, with the desk link the server adds. */
export type WholeRow = Row & { desk: string | null };

/** A row on the wire: empty fields (null, 0) are left out, a third less to send for 50,000 people. */
export type WireRow = Partial<Row> & { org: string; ext: string; desk?: string };

/**
 * The snapshot's rows are arrays in this column order (the fields most often set first, so that
 * trailing empty ones can be cut off); empty fields are null, or missing at the end.
 */
export const SNAPSHOT_COLUMNS = [
  'org',
  'ext',
  'name',
  'department',
  'status',
  'reason',
  'since',
  'until',
  'title',
  'direct',
  'mobile',
  'alt',
  'note',
  'voicemail',
  'messages',
  'online',
  'phoneMessages',
  'desk',
  'calendar',
  'deviceWarnings',
] as const satisfies readonly (keyof WholeRow)[];

/** Columns sent as an index into the snapshot's `codes` list of the same name: few distinct values (titles repeat too). */
export const CODED_COLUMNS = ['org', 'department', 'status', 'reason', 'title'] as const;
export type Coded = (typeof CODED_COLUMNS)[number];

const EMPTY_ROW: WholeRow = {
  org: '',
  ext: '',
  name: null,
  department: null,
  title: null,
  direct: null,
  mobile: null,
  status: null,
  reason: null,
  since: null,
  until: null,
  alt: null,
  note: null,
  voicemail: 0,
  messages: 0,
  phoneMessages: null,
  online: null,
  desk: null,
  calendar: null,
  deviceWarnings: null,
};

/** A wire row with its left-out fields filled in again (every row of one shape for the page). */
export const wholeRow = (wire: WireRow): WholeRow => ({ ...EMPTY_ROW, ...wire });

/** A row with its empty fields (null, 0) left out: what a delta carries. */
export function sparseRow(row: object): WireRow {
  const full = row as Record<string, unknown>;
  const wire: Record<string, unknown> = {};
  for (const k in full) if (full[k] !== null && full[k] !== 0) wire[k] = full[k];
  return wire as WireRow;
}

/**
 * The decoder of one snapshot's row arrays, by the snapshot's own `columns` and `codes`: a column this
 * side does not know is skipped, so an older page reads a newer server's snapshot.
 */
export function rowDecoder(
  columns: readonly string[],
  codes: Record<Coded, readonly string[]>,
): (array: readonly unknown[]) => WholeRow {
  const fields = columns.map((column) =>
    column in EMPTY_ROW
      ? { name: column, codes: column in codes ? codes[column as Coded] : undefined }
      : undefined,
  );
  return (array) => {
    const row = { ...EMPTY_ROW };
    const fill = row as Record<string, unknown>;
    for (let i = 0; i < array.length; i++) {
      const value = array[i];
      const field = fields[i];
      if (value === null || value === undefined || !field) continue;
      fill[field.name] = field.codes ? (field.codes[value as number] ?? null) : value;
    }
    return row;
  };
}
