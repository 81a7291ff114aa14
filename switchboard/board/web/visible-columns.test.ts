// The visible-column table against what it does not generate: the style sheets' cells and grid
// tracks at each board width, and the search text.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ColumnName } from '../columns.js';
import { wholeRow } from '../wire-rows.js';
import { fold } from './fold.js';
import { searchText } from './state.js';
import { SEARCHED_COLUMNS, VISIBLE_COLUMNS } from './visible-columns.js';

const css = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');
const STYLE = css('style.css');
const CONTROLS = css('controls.css');

/** The text of the block that opens at `from` (just after its "{"), up to its matching "}". */
function block(text: string, from: number): string {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(from, i);
  }
  throw new Error('unbalanced braces');
}

/** How many tracks the `.row` rule's grid-template-columns has, in a style sheet or block. */
function rowTracks(text: string): number {
  const rule = /(?:^|\n)\s*\.row \{([^}]*)\}/.exec(text)?.[1] ?? '';
  const tracks = /grid-template-columns:([^;]*);/.exec(rule)?.[1];
  if (tracks === undefined) throw new Error('no .row grid-template-columns');
  // minmax(150px, 2fr) is one track: drop what is inside parentheses, then count the words
  return tracks
    .replace(/\([^)]*\)/g, '')
    .trim()
    .split(/\s+/).length;
}

const ids = VISIBLE_COLUMNS.map((c) => c.id as string);
const dropsAt = (c: (typeof VISIBLE_COLUMNS)[number]) => ('dropsAt' in c ? c.dropsAt : undefined);

describe('visible columns', () => {
  it('the style sheets style only cells of the table', () => {
    const classes = new Set([...`${STYLE}\n${CONTROLS}`.matchAll(/\.c-([a-z]+)/g)].map((m) => m[1]));
    expect([...classes].filter((c) => !ids.includes(c as string))).toEqual([]);
  });

  it('has a grid track per column, and at each narrower width drops the columns that give way there', () => {
    expect(rowTracks(STYLE)).toBe(VISIBLE_COLUMNS.length);
    const widths = [...CONTROLS.matchAll(/@container \(max-width: (\d+)px\) \{/g)].map((m) => ({
      width: Number(m[1]),
      body: block(CONTROLS, (m.index ?? 0) + m[0].length),
    }));
    expect(widths.map((w) => w.width)).toEqual(
      [...new Set(VISIBLE_COLUMNS.flatMap((c) => dropsAt(c) ?? []))].sort((a, b) => b - a),
    );
    for (const { width, body } of widths) {
      const hidden = [...body.matchAll(/\.row \.c-([a-z]+) \{\s*display: none;/g)].map((m) => m[1]);
      expect(hidden, `hidden at ${width}px`).toEqual(
        VISIBLE_COLUMNS.filter((c) => dropsAt(c) === width).map((c) => c.id),
      );
      const left = VISIBLE_COLUMNS.filter((c) => (dropsAt(c) ?? 0) < width);
      expect(rowTracks(body), `tracks at ${width}px`).toBe(left.length);
    }
  });

  it('search reads what the searched columns show, and nothing else', () => {
    // every field a word of its own, so the search text tells which it holds
    const row = wholeRow({
      org: 'orgword',
      ext: '2101',
      name: 'Nameword',
      title: 'Titleword',
      department: 'deptword',
      status: 'away',
      reason: 'reasonword',
      direct: 'directword',
      mobile: 'mobileword',
      note: 'noteword',
      alt: { kind: 'info', text: 'altword' },
      keywords: ['Keywordword'],
    });
    const text = searchText(row);
    const words: Record<string, string> = {
      ext: '2101',
      name: 'Nameword',
      title: 'Titleword',
      department: 'deptword',
      reason: 'reasonword',
      direct: 'directword',
      mobile: 'mobileword',
      note: 'noteword',
      alt: 'altword',
      keywords: 'Keywordword',
    };
    for (const [column, word] of Object.entries(words))
      expect(text.includes(fold(word)), column).toBe(SEARCHED_COLUMNS.includes(column as ColumnName));
  });
});
