// A small RFC 4180 CSV reader and writer for directory imports. Pure, never throws: a broken record is
// reported with its line (and column) and skipped, the rest of the file is still read. Swedish Excel
// writes `;` between fields (`,` is the decimal sign there), so the delimiter comes from the header line.

export type Delimiter = ',' | ';';

export interface CsvRecord {
  /** physical line (1-based) where the record starts; a quoted field may carry it over several lines */
  line: number;
  fields: string[];
}

export interface CsvError {
  line: number;
  /** 1-based position in the line, in UTF-16 code units */
  column?: number;
  reason: string;
}

export interface CsvParse {
  delimiter: Delimiter;
  records: CsvRecord[];
  errors: CsvError[];
}

const BOM = '\uFEFF';

/** The delimiter of the first record: `;` when it has more unquoted `;` than `,`, else `,`. */
export function detectDelimiter(text: string): Delimiter {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (let i = text.startsWith(BOM) ? 1 : 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === ';') semicolons++;
    else if (c === ',') commas++;
    else if (c === '\n' || c === '\r') break;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * Reads CSV text: optional UTF-8 BOM, CRLF, LF or CR line ends, quoted fields with `""` for a quote.
 * Blank lines are skipped. A quote inside an unquoted field, text after a closing quote and an
 * unterminated quote are errors.
 */
export function parseCsv(text: string, delimiter: Delimiter = detectDelimiter(text)): CsvParse {
  const records: CsvRecord[] = [];
  const errors: CsvError[] = [];
  const reader = new CsvReader(
    (r) => records.push(r),
    (e) => errors.push(e),
    delimiter,
  );
  reader.push(text);
  reader.end();
  return { delimiter, records, errors };
}

/**
 * parseCsv for text that arrives in pieces (a file read as a stream): hands on each record and error
 * as soon as it is complete, the same as parseCsv would for the whole text, and keeps only the record
 * still being read. Without a delimiter, the first line (up to its first unquoted line end) decides it.
 */
export class CsvReader {
  /** text not yet read: the start of a record still incomplete */
  private rest = '';
  private first = true;
  private line = 1;
  /** where the current physical line starts, relative to `rest` (negative: in text already dropped) */
  private lineStart = 0;
  /** before the first line end: how far `rest` was looked through for it, and inside quotes there */
  private scan = { at: 0, quoted: false };

  constructor(
    private readonly onRecord: (record: CsvRecord) => void,
    private readonly onError: (error: CsvError) => void,
    private delimiter?: Delimiter,
  ) {}

  push(chunk: string): void {
    this.rest += chunk;
    if (this.first) {
      if (!this.rest.length || (this.delimiter === undefined && !this.firstLineEnded())) return;
      this.start();
    }
    this.read(false);
  }

  end(): void {
    if (this.first) this.start();
    this.read(true);
  }

  /** Whether the first record's line end (outside quotes) has arrived, so its delimiter can be told. */
  private firstLineEnded(): boolean {
    const { rest, scan } = this;
    for (; scan.at < rest.length; scan.at++) {
      const c = rest[scan.at];
      if (c === '"') scan.quoted = !scan.quoted;
      else if (!scan.quoted && (c === '\n' || c === '\r')) return true;
    }
    return false;
  }

  /** The delimiter for whatever was not given one, and the BOM dropped. */
  private start(): void {
    this.first = false;
    this.delimiter ??= detectDelimiter(this.rest);
    if (this.rest.startsWith(BOM)) {
      this.rest = this.rest.slice(1);
      this.lineStart = 0;
    }
  }

  /**
   * Reads every record of `rest` that is surely complete: one that ends before the last character
   * (a CR there may be half of a CRLF, a quote half of a `""`), or every one once the text has `ended`.
   */
  private read(ended: boolean): void {
    const text = this.rest;
    const delimiter = this.delimiter as Delimiter;
    const n = text.length;
    let i = 0;
    let { line, lineStart } = this;
    let done = { i, line, lineStart };

    const isEol = (c: string | undefined) => c === '\n' || c === '\r';
    // Consumes one line end at i (CRLF counts once).
    const newline = () => {
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      lineStart = i;
    };
    // After an error: drop the rest of the physical line so the next record starts clean.
    const skipLine = () => {
      while (i < n && !isEol(text[i])) i++;
      if (i < n) newline();
    };

    while (i < n) {
      if (isEol(text[i])) {
        newline();
        if (i < n || ended) done = { i, line, lineStart };
        continue;
      }
      const recordLine = line;
      const fields: string[] = [];
      const errors: CsvError[] = [];
      let broken = false;
      for (;;) {
        if (text[i] === '"') {
          const quoteLine = line;
          const quoteColumn = i - lineStart + 1;
          let value = '';
          i++;
          let closed = false;
          while (i < n) {
            const next = text.indexOf('"', i);
            const end = next < 0 ? n : next;
            // Count the line ends inside the quoted text, so later line numbers stay physical.
            for (let j = i; j < end; j++) {
              const c = text[j];
              if (c === '\n' || (c === '\r' && text[j + 1] !== '\n')) {
                line++;
                lineStart = j + 1;
              }
            }
            value += text.slice(i, end);
            i = end;
            if (next < 0) break;
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
            } else {
              i++;
              closed = true;
              break;
            }
          }
          if (!closed) {
            errors.push({
              line: quoteLine,
              column: quoteColumn,
              reason: 'quote opened here is never closed',
            });
            broken = true;
            break;
          }
          if (i < n && text[i] !== delimiter && !isEol(text[i])) {
            errors.push({
              line,
              column: i - lineStart + 1,
              reason: `${JSON.stringify(text[i])} after a closing quote (a quote inside a field is written "")`,
            });
            broken = true;
            skipLine();
            break;
          }
          fields.push(value);
        } else {
          let end = i;
          while (end < n && text[end] !== delimiter && !isEol(text[end]) && text[end] !== '"') end++;
          if (text[end] === '"') {
            errors.push({
              line,
              column: end - lineStart + 1,
              reason: 'quote inside an unquoted field (quote the whole field and write the quote as "")',
            });
            i = end;
            broken = true;
            skipLine();
            break;
          }
          fields.push(text.slice(i, end));
          i = end;
        }
        if (text[i] === delimiter) {
          i++;
          continue;
        }
        if (i < n) newline();
        break;
      }
      // reached the end of what has arrived: the record may go on in the next piece
      if (i >= n && !ended) break;
      for (const e of errors) this.onError(e);
      if (!broken) this.onRecord({ line: recordLine, fields });
      done = { i, line, lineStart };
    }
    this.rest = text.slice(done.i);
    this.line = done.line;
    this.lineStart = done.lineStart - done.i;
  }
}

const NEEDS_QUOTES = /[",;\r\n]|^\uFEFF/;

/** Writes records as CSV that parseCsv reads back exactly (every record needs at least one field). */
export function formatCsv(
  records: readonly (readonly string[])[],
  delimiter: Delimiter = ',',
  options: { eol?: '\r\n' | '\n'; bom?: boolean } = {},
): string {
  const quote = (field: string) => (NEEDS_QUOTES.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
  // A record of one empty field would be a blank line, which the reader skips: quote it.
  const row = (fields: readonly string[]) =>
    fields.length === 1 && fields[0] === '' ? '""' : fields.map(quote).join(delimiter);
  const eol = options.eol ?? '\r\n';
  return (options.bom ? BOM : '') + records.map((r) => row(r) + eol).join('');
}
