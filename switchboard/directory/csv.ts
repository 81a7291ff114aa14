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
  const n = text.length;
  let i = text.startsWith(BOM) ? 1 : 0;
  let line = 1;
  let lineStart = i;

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
      continue;
    }
    const recordLine = line;
    const fields: string[] = [];
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
          errors.push({ line: quoteLine, column: quoteColumn, reason: 'quote opened here is never closed' });
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
    if (!broken) records.push({ line: recordLine, fields });
  }
  return { delimiter, records, errors };
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
