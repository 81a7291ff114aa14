// Rows on the wire and back as whole rows: the one decoder the page (bundled from here) and the tests
// share, from the column table (columns.ts). Type imports and the table only, so the bundle stays small.
import { COLUMNS, type CodedColumn } from './columns.js';
import type { Row } from './row.js';

/** A row as the page keeps it: every field, with the desk link the server adds. */
export type WholeRow = Row & { desk: string | null };

/** A row on the wire: empty fields (null, 0) are left out, a third less to send for 50,000 people. */
export type WireRow = Partial<Row> & { org: string; ext: string; desk?: string };

/** The counts are 0 when empty, every other column null (what the wire leaves out). */
const ZERO_COLUMNS: readonly string[] = ['voicemail', 'messages', 'undelivered'] satisfies (keyof Row)[];
const EMPTY_ROW = Object.fromEntries(
  COLUMNS.map((c) => [c.name, ZERO_COLUMNS.includes(c.name) ? 0 : null]),
) as unknown as WholeRow;

/** A wire row with its left-out fields filled in again (every row of one shape for the page). */
export const wholeRow = (wire: WireRow): WholeRow => ({ ...EMPTY_ROW, ...wire });

/**
 * The decoder of one snapshot's row arrays, by the snapshot's own `columns` and `codes`: each row
 * starts as a copy of EMPTY_ROW, so all rows have one shape, without an object per row in between. A
 * column this side does not know is skipped, so an older page reads a newer server's snapshot.
 */
export function rowDecoder(
  columns: readonly string[],
  codes: Record<CodedColumn, readonly string[]>,
): (array: readonly unknown[]) => WholeRow {
  const fields = columns.map((column) =>
    column in EMPTY_ROW
      ? { name: column, codes: column in codes ? codes[column as CodedColumn] : undefined }
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

/** One column of a snapshot's row arrays (a code read as its value); null where empty or not sent. */
export function columnReader(
  columns: readonly string[],
  codes: Record<CodedColumn, readonly string[]>,
  name: keyof WholeRow,
): (array: readonly unknown[]) => unknown {
  const at = columns.indexOf(name);
  const coded = name in codes ? codes[name as CodedColumn] : undefined;
  return (array) => {
    const value = at < 0 ? undefined : array[at];
    if (value === null || value === undefined) return null;
    return coded ? (coded[value as number] ?? null) : value;
  };
}
