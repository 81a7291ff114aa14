// Reads a CSV table whose first line names the columns (any order, case, Swedish or Danish aliases):
// the directory import's files and IT's devices file. Pure: every problem is reported with its line
// and column header, and a row with a problem is left out whole.
import { parseCsv } from './csv.js';

export interface TableError<F extends string> {
  file: F;
  line: number;
  /** the column as written in the file's header, when the problem is in one field */
  field?: string;
  reason: string;
}

/** `file:line: column: reason`, as editors and terminals link it. */
export function formatTableError(path: string, e: TableError<string>): string {
  return `${path}:${e.line}: ${e.field ? `${e.field}: ` : ''}${e.reason}\n`;
}

export interface Column {
  field: string;
  aliases: string[];
  required: boolean;
}

/** Header cells compare case-insensitively, with spaces and dashes as underscores ("E-post" = epost). */
const normalise = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

export interface Row {
  line: number;
  values: Record<string, string>;
}

export interface Table {
  /** rows with all required cells, none sharing its key with another row */
  rows: Row[];
  /** data records read, including refused ones */
  records: number;
  /** every key (ext, department id) the file names, even on a refused row */
  mentioned: Set<string>;
  /** canonical field → the header as written, for error messages */
  headers: Record<string, string>;
}

/** The first column is the row's key: one row per key. */
export function readTable<F extends string>(
  file: F,
  text: string,
  columns: Column[],
  errors: TableError<F>[],
  warnings: string[],
): Table {
  const csv = parseCsv(text);
  for (const e of csv.errors)
    errors.push({ file, line: e.line, reason: e.column ? `column ${e.column}: ${e.reason}` : e.reason });
  const [header, ...records] = csv.records;
  const headers: Record<string, string> = {};
  const mentioned = new Set<string>();
  if (!header) {
    if (!csv.errors.length)
      errors.push({ file, line: 1, reason: 'empty file: the first line must name the columns' });
    return { rows: [], records: 0, mentioned, headers };
  }
  const byName = new Map<string, string>();
  for (const c of columns) for (const name of [c.field, ...c.aliases]) byName.set(name, c.field);
  const fieldAt: (string | undefined)[] = header.fields.map((cell) => {
    const field = byName.get(normalise(cell));
    if (!field) {
      if (cell.trim()) warnings.push(`${file}: column ${JSON.stringify(cell)} is not used`);
      return undefined;
    }
    if (headers[field] !== undefined) {
      errors.push({ file, line: header.line, field: cell, reason: `column ${field} appears twice` });
      return undefined;
    }
    headers[field] = cell.trim();
    return field;
  });
  const missing = columns.filter((c) => c.required && headers[c.field] === undefined);
  if (missing.length) {
    errors.push({
      file,
      line: header.line,
      reason: `missing column(s): ${missing.map((c) => [c.field, ...c.aliases.slice(0, 1)].join('/')).join(', ')}`,
    });
    return { rows: [], records: records.length, mentioned, headers };
  }
  const key = (columns[0] as Column).field;
  const rows: Row[] = [];
  const linesOf = new Map<string, number[]>();
  for (const record of records) {
    const values: Record<string, string> = {};
    fieldAt.forEach((field, i) => {
      if (field) values[field] = (record.fields[i] ?? '').trim();
    });
    const id = values[key] as string;
    if (id) {
      mentioned.add(id);
      linesOf.set(id, [...(linesOf.get(id) ?? []), record.line]);
    }
    // Excel pads short rows with empty cells; only a non-empty cell beyond the header is a mistake.
    if (record.fields.slice(header.fields.length).some((f) => f.trim())) {
      errors.push({
        file,
        line: record.line,
        reason: `${record.fields.length} fields, but the header names ${header.fields.length}`,
      });
      continue;
    }
    const empty = columns.find((c) => c.required && !values[c.field]);
    if (empty) {
      errors.push({ file, line: record.line, field: headers[empty.field], reason: 'required, but empty' });
      continue;
    }
    rows.push({ line: record.line, values });
  }
  // The same key on several rows: each line names the others, and none is imported (which one is right?).
  for (const [id, lines] of linesOf) {
    if (lines.length < 2) continue;
    for (const line of lines)
      errors.push({
        file,
        line,
        field: headers[key],
        reason: `${id} appears on lines ${lines.join(', ')}; none of them is imported`,
      });
  }
  return {
    rows: rows.filter((r) => (linesOf.get(r.values[key] as string)?.length ?? 0) < 2),
    records: records.length,
    mentioned,
    headers,
  };
}
