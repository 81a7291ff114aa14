// Reads a CSV table whose first line names the columns (any order, case, Swedish or Danish aliases):
// the directory import's files and IT's devices file. Pure: every problem is reported with its line
// and column header, and a row with a problem is left out whole.
import { CsvReader, type CsvRecord } from './csv.js';

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
  mentioned: Pick<ReadonlySet<string>, 'has'>;
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
  const reader = new TableReader(file, columns, errors, warnings, (row) => row);
  reader.push(text);
  const { accepted, ...table } = reader.end();
  return { rows: [...accepted.values()], ...table };
}

/** What a streamed table gives at its end: `accept`'s value per key, in file order. */
export interface StreamedTable<T> extends Omit<Table, 'rows' | 'mentioned'> {
  accepted: Map<string, T>;
  /** every key the file names, even on a refused row, with the line it first appears on */
  mentioned: ReadonlyMap<string, number>;
}

/**
 * readTable for a file read in pieces: each row is handed to `accept` as soon as it is read, which
 * makes it the value kept (small, for a large file), keeps nothing (undefined), or refuses it. Whether a key is on several rows is
 * known only at the end, so the value or refusal waits until then: a repeated key's rows get only the
 * "appears on lines" error, as readTable gives. The first column is the row's key and is required.
 */
export class TableReader<F extends string, T> {
  private readonly csv: CsvReader;
  private header: CsvRecord | undefined;
  private csvErrors = 0;
  private records = 0;
  private readonly headers: Record<string, string> = {};
  private fieldAt: (string | undefined)[] = [];
  private missing = false;
  /** key → the line it first appears on; keys on several lines also in `repeated` */
  private readonly firstLine = new Map<string, number>();
  private readonly repeated = new Map<string, number[]>();
  private readonly pending = new Map<string, T | Refusal<F>>();
  private readonly key: string;

  constructor(
    private readonly file: F,
    private readonly columns: Column[],
    private readonly errors: TableError<F>[],
    private readonly warnings: string[],
    private readonly accept: (row: Row, headers: Record<string, string>) => T | Refusal<F> | undefined,
    /** false: a second reading of a file whose keys are known, which need not be kept again */
    private readonly keys = true,
  ) {
    this.key = (columns[0] as Column).field;
    this.csv = new CsvReader(
      (record) => this.record(record),
      (e) => {
        this.csvErrors++;
        errors.push({ file, line: e.line, reason: e.column ? `column ${e.column}: ${e.reason}` : e.reason });
      },
    );
  }

  push(chunk: string): void {
    this.csv.push(chunk);
  }

  end(): StreamedTable<T> {
    this.csv.end();
    const { file, errors, headers, key } = this;
    if (!this.header && !this.csvErrors)
      errors.push({ file, line: 1, reason: 'empty file: the first line must name the columns' });
    // The same key on several rows: each line names the others, and none is imported (which one is right?).
    for (const [id, lines] of this.repeated) {
      this.pending.delete(id);
      for (const line of lines)
        errors.push({
          file,
          line,
          field: headers[key],
          reason: `${id} appears on lines ${lines.join(', ')}; none of them is imported`,
        });
    }
    const accepted = new Map<string, T>();
    for (const [id, value] of this.pending) {
      if (value instanceof Refusal) errors.push(value.error);
      else accepted.set(id, value);
    }
    return { accepted, records: this.records, mentioned: this.firstLine, headers };
  }

  private record(record: CsvRecord): void {
    if (!this.header) {
      this.header = record;
      this.readHeader(record);
      return;
    }
    this.records++;
    if (this.missing) return;
    const { file, errors, columns, headers, key, header } = this;
    const values: Record<string, string> = {};
    this.fieldAt.forEach((field, i) => {
      if (field) values[field] = (record.fields[i] ?? '').trim();
    });
    const id = values[key] as string;
    if (id && this.keys) {
      const first = this.firstLine.get(id);
      if (first === undefined) this.firstLine.set(id, record.line);
      else this.repeated.set(id, [...(this.repeated.get(id) ?? [first]), record.line]);
    }
    // Excel pads short rows with empty cells; only a non-empty cell beyond the header is a mistake.
    if (record.fields.slice(header.fields.length).some((f) => f.trim())) {
      errors.push({
        file,
        line: record.line,
        reason: `${record.fields.length} fields, but the header names ${header.fields.length}`,
      });
      return;
    }
    const empty = columns.find((c) => c.required && !values[c.field]);
    if (empty) {
      errors.push({ file, line: record.line, field: headers[empty.field], reason: 'required, but empty' });
      return;
    }
    if (this.repeated.has(id)) return;
    const value = this.accept({ line: record.line, values }, headers);
    if (value !== undefined) this.pending.set(id, value);
  }

  private readHeader(header: CsvRecord): void {
    const { file, errors, warnings, columns, headers } = this;
    const byName = new Map<string, string>();
    for (const c of columns) for (const name of [c.field, ...c.aliases]) byName.set(name, c.field);
    this.fieldAt = header.fields.map((cell) => {
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
      this.missing = true;
      errors.push({
        file,
        line: header.line,
        reason: `missing column(s): ${missing.map((c) => [c.field, ...c.aliases.slice(0, 1)].join('/')).join(', ')}`,
      });
    }
  }
}

/** What `accept` returns for a row it refuses. */
export class Refusal<F extends string> {
  constructor(readonly error: TableError<F>) {}
}
