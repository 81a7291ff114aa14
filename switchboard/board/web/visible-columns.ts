// The board's visible columns, defined once (as columns.ts defines the data columns): each column's
// cell, its heading in the board's words (texts.ts), the data columns it shows, whether search reads
// them, and the board width it gives way at. header.ts draws the heads from this table, list.ts the
// rows' cells (one fill per column, for a person and for a department result: the compiler asks for
// both), data.ts searches again when a searched column's data changed, and the style sheets lay the
// cells out by their class, c-{id} (visible-columns.test.ts holds them to this table). Pure: the
// Node tests (and the server, should it need to) read it without the page.
import type { ColumnName } from '../columns.js';
import type { TEXT } from './texts.js';

export interface VisibleColumn {
  /** the cell's class is c-{id} */
  id: string;
  /** the heading: a word of the board's texts */
  heading: keyof (typeof TEXT)['en'];
  /** the cell's fixed inside, filled in by class ('' for a cell of text and badges) */
  markup: string;
  /** the data columns (columns.ts) the cell shows of a person */
  shows: readonly ColumnName[];
  /** search matches what the cell shows (state.ts searchText) */
  searched?: true;
  /**
   * the board's width (px, controls.css's container queries) at and below which the column is left
   * out, widest first: only columns the details repeat give way, so nothing is cut off
   */
  dropsAt?: number;
}

/** In the order they stand on the board, left to right. */
export const VISIBLE_COLUMNS = [
  {
    id: 'state',
    heading: 'state',
    markup: '<i class="ico" aria-hidden="true"></i><b class="label"></b>',
    shows: ['status', 'reason'],
    searched: true,
  },
  {
    id: 'name',
    heading: 'name',
    markup: '<b class="name"></b><small class="title"></small>',
    shows: ['name', 'title'],
    searched: true,
  },
  { id: 'ext', heading: 'ext', markup: '', shows: ['ext'], searched: true },
  {
    id: 'dept',
    heading: 'department',
    markup: '',
    shows: ['org', 'department'],
    searched: true,
    dropsAt: 900,
  },
  { id: 'back', heading: 'returns', markup: '', shows: ['status', 'until', 'nextAbsence'] },
  { id: 'alt', heading: 'alt', markup: '', shows: ['alt'], dropsAt: 1120 },
  { id: 'msg', heading: 'waiting', markup: '', shows: ['messages', 'voicemail'], dropsAt: 520 },
  {
    id: 'desk',
    heading: 'desk',
    markup: '',
    shows: ['online', 'panelUnplugged', 'deviceWarnings'],
    dropsAt: 720,
  },
] as const satisfies readonly VisibleColumn[];

export type VisibleColumnId = (typeof VISIBLE_COLUMNS)[number]['id'];

/**
 * The data columns search reads: a row's search text changes only when one of them does. The
 * person's keywords too, shown in the details only (issue 23: "who handles what", Guldborgsund's
 * "vidensdatabase"): "bygglov" finds the officer who handles it.
 */
export const SEARCHED_COLUMNS: readonly ColumnName[] = [
  ...new Set(VISIBLE_COLUMNS.flatMap((c) => ('searched' in c ? c.shows : []))),
  'keywords',
];

/** A row's cells, empty, as the list builds each row element (list.ts). */
export const ROW_MARKUP = VISIBLE_COLUMNS.map((c) => `<span class="c-${c.id}">${c.markup}</span>`).join('');
