import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CsvError,
  CsvReader,
  type CsvRecord,
  type Delimiter,
  detectDelimiter,
  formatCsv,
  parseCsv,
} from './csv.js';

// Field text with everything that needs quoting, plus Swedish letters and emoji.
const field = fc.string({
  unit: fc.constantFrom('a', 'Å', 'ö', ' ', ',', ';', '"', '\r', '\n', '\r\n', '\uFEFF', '😀', '1'),
  maxLength: 12,
});
const delimiter = fc.constantFrom<Delimiter>(',', ';');
const eol = fc.constantFrom<'\r\n' | '\n'>('\r\n', '\n');

describe('parseCsv', () => {
  it('reads back any table the writer wrote, with an explicit delimiter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { maxLength: 8 }),
        delimiter,
        eol,
        fc.boolean(),
        (table, d, e, bom) => {
          const parsed = parseCsv(formatCsv(table, d, { eol: e, bom }), d);
          expect(parsed.errors).toEqual([]);
          expect(parsed.records.map((r) => r.fields)).toEqual(table);
        },
      ),
    );
  });

  it('detects the delimiter from the header of a table with two or more columns', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }).chain((columns) =>
          fc.array(fc.array(field, { minLength: columns, maxLength: columns }), {
            minLength: 1,
            maxLength: 6,
          }),
        ),
        delimiter,
        eol,
        fc.boolean(),
        (table, d, e, bom) => {
          const text = formatCsv(table, d, { eol: e, bom });
          expect(detectDelimiter(text)).toBe(d);
          expect(parseCsv(text).records.map((r) => r.fields)).toEqual(table);
        },
      ),
    );
  });

  it('gives each record the physical line it starts on, counting line breaks inside quotes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 3 }), { maxLength: 8 }),
        eol,
        (table, e) => {
          const text = formatCsv(table, ',', { eol: e });
          const lines = parseCsv(text, ',').records.map((r) => r.line);
          let line = 1;
          const expected = table.map((row) => {
            const at = line;
            line += formatCsv([row], ',', { eol: '\n' }).split(/\r\n|\r|\n/).length - 1;
            return at;
          });
          expect(lines).toEqual(expected);
        },
      ),
    );
  });

  it('never throws on arbitrary text and reports errors on lines that exist', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '"', ',', ';', '\n', '\r', ' ', '\uFEFF'), maxLength: 60 }),
        (text) => {
          const parsed = parseCsv(text);
          const lines = text.split(/\r\n|\r|\n/).length;
          for (const e of parsed.errors) {
            expect(e.line).toBeGreaterThanOrEqual(1);
            expect(e.line).toBeLessThanOrEqual(lines);
            expect(e.reason).not.toBe('');
          }
          for (const r of parsed.records) expect(r.line).toBeLessThanOrEqual(lines);
        },
      ),
    );
  });

  it('reads text in pieces exactly as whole, wherever it is cut (a file read as a stream)', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('a', 'å', '"', ',', ';', '\n', '\r', ' ', '\uFEFF'),
          maxLength: 80,
        }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.option(delimiter, { nil: undefined }),
        (text, cuts, d) => {
          const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const records: CsvRecord[] = [];
          const errors: CsvError[] = [];
          const reader = new CsvReader(
            (r) => records.push(r),
            (e) => errors.push(e),
            d,
          );
          for (const [k, from] of [0, ...at].entries()) reader.push(text.slice(from, at[k] ?? text.length));
          reader.end();
          const whole = parseCsv(text, d);
          expect({ records, errors }).toEqual({ records: whole.records, errors: whole.errors });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads a Swedish Excel export: BOM, semicolons, CRLF, quoted field with a line break', () => {
    const text =
      '\uFEFFAnknytning;Namn;Titel\r\n4711;Åsa Öberg;"Chef; ""bygg""\r\noch miljö"\r\n\r\n4712;Per;\r\n';
    expect(parseCsv(text)).toEqual({
      delimiter: ';',
      errors: [],
      records: [
        { line: 1, fields: ['Anknytning', 'Namn', 'Titel'] },
        { line: 2, fields: ['4711', 'Åsa Öberg', 'Chef; "bygg"\r\noch miljö'] },
        { line: 5, fields: ['4712', 'Per', ''] },
      ],
    });
  });

  it('reports broken records with line and column and keeps reading', () => {
    const text = 'a,b\n1,x"y\n2,"z"q\n3,ok\n4,"never closed\n5,lost';
    const parsed = parseCsv(text);
    expect(parsed.errors).toEqual([
      { line: 2, column: 4, reason: expect.stringContaining('quote inside an unquoted field') },
      { line: 3, column: 6, reason: expect.stringContaining('after a closing quote') },
      { line: 5, column: 3, reason: 'quote opened here is never closed' },
    ]);
    expect(parsed.records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 4, fields: ['3', 'ok'] },
    ]);
  });

  it('treats a lone CR as a line end and a trailing delimiter as an empty last field', () => {
    expect(parseCsv('a;b;\rc;d;', ';').records).toEqual([
      { line: 1, fields: ['a', 'b', ''] },
      { line: 2, fields: ['c', 'd', ''] },
    ]);
  });
});
