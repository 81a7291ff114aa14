// The stream's snapshot and deltas applied to the page's state.

import { isLanguage } from '../../../protocol/languages.js';
import type { Snapshot } from '../model.js';
import type { WireDelta, WireSnapshot } from '../wire.js';
import { columnReader, rowDecoder, type WholeRow, type WireRow, wholeRow } from '../wire-rows.js';
import { addCallNotice } from './call-notices.js';
import { staleText } from './haystack.js';
import { firstInOrder } from './order.js';
import {
  compareListed,
  indexSearch,
  keyOf,
  reindexRows,
  schedule,
  searchText,
  searchTextAfter,
  state,
} from './state.js';
import { Tallies } from './tallies.js';
import { SEARCHED_COLUMNS } from './visible-columns.js';

function putRow(wire: WireRow): void {
  const row = wholeRow(wire);
  const key = keyOf(row);
  const old = state.rows.get(key);
  state.rows.set(key, row);
  state.tallies.put(key, row);
  if (!old || old.name !== row.name) state.dirty.moved.add(key);
  if (!old || SEARCHED_COLUMNS.some((column) => old[column] !== row[column])) {
    // the reason is searchable ("sjuk"): a new one moves the row in or out of the search view
    const text = old ? searchTextAfter(old, state.search.get(key), row) : searchText(row);
    if (state.search.get(key) !== text) {
      state.search.set(key, text);
      state.dirty.searched.add(key);
      staleText(key);
    }
  }
  state.dirty.rows.add(key);
}

function removeRow(org: string, ext: string): void {
  const key = `${org}/${ext}`;
  if (state.rows.delete(key)) {
    state.tallies.remove(key);
    state.search.delete(key);
    state.dirty.moved.add(key);
  }
}

/**
 * A first snapshot's rows still as the stream sent them (arrays): its first screen is chosen from them
 * and only those rows decoded before the first frame, the rest in the task after it (list.ts reorder),
 * or at once when something needs every row first (a delta, a search typed before). Decoding 50,000
 * rows into objects (and collecting what that allocates) was the largest share of the first view's
 * time after JSON.parse.
 */
let undecoded: {
  arrays: readonly (readonly unknown[])[];
  unpack: (array: readonly unknown[]) => WholeRow;
  /** the arrays decoded already (the first screen and the colleagues its forwards name) */
  done: Set<readonly unknown[]>;
  org: (array: readonly unknown[]) => unknown;
  ext: (array: readonly unknown[]) => unknown;
  name: (array: readonly unknown[]) => unknown;
} | null = null;

const columnsOf = (s: WireSnapshot) => ({
  org: columnReader(s.columns, s.codes, 'org'),
  ext: columnReader(s.columns, s.codes, 'ext'),
  name: columnReader(s.columns, s.codes, 'name'),
});

function decode(unpack: (array: readonly unknown[]) => WholeRow, array: readonly unknown[]): WholeRow {
  const row = unpack(array);
  state.rows.set(keyOf(row), row);
  return row;
}

/**
 * The first n keys in order of a first snapshot not yet decoded, with their rows decoded (and the rows
 * of the colleagues their forwards name, whose names the list shows); undefined once decoded.
 */
export function firstScreen(n: number): string[] | undefined {
  if (!undecoded) return undefined;
  const { arrays, unpack, done, org, ext, name } = undecoded;
  const decodeOnce = (array: readonly unknown[]) => {
    done.add(array);
    return decode(unpack, array);
  };
  // the list's order (state.ts compareListed) on the arrays' fields: the same the full sort gives
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const top = firstInOrder(arrays, n, (a, b) =>
    compareListed(text(name(a)), text(ext(a)) ?? '\uffff', text(name(b)), text(ext(b)) ?? '\uffff'),
  );
  const rows = top.map(decodeOnce);
  for (const row of rows) {
    const alt = row.alt;
    if (alt?.kind !== 'forward' || alt.name) continue;
    const colleague = arrays.find((a) => ext(a) === alt.to && org(a) === row.org);
    if (colleague && !done.has(colleague)) decodeOnce(colleague);
  }
  return rows.map(keyOf);
}

/** Decodes what is left of a first snapshot's rows (nothing once done). */
export function decodeRest(): void {
  if (!undecoded) return;
  const { arrays, unpack, done } = undecoded;
  for (const array of arrays) if (!done.has(array)) decode(unpack, array);
  undecoded = null;
}

/** The stream's snapshot: wire.ts sends the organisations' phone links beside what WireSnapshot declares. */
export type StreamSnapshot = WireSnapshot & { phoneLinks?: Snapshot['phoneLinks'] };

export function applySnapshot(s: StreamSnapshot): void {
  state.orgs = new Map(Object.entries(s.orgs));
  state.departments = new Map(s.departments.map((d) => [`${d.org}/${d.id}`, d.department]));
  state.queues = new Map(s.queues.map((q) => [`${q.org}/${q.id}`, q.queue]));
  state.phoneLinks = new Map(Object.entries(s.phoneLinks ?? {}));
  state.reasons = s.reasons;
  state.rows = new Map();
  state.search = new Map();
  state.tallies = new Tallies();
  // The page's first snapshot shows its first screen before 50,000 rows are decoded, sorted, counted
  // and indexed for search (list.ts reorder); a later one (a reconnect, the list scrolled or searched)
  // does it all now.
  const first = state.order.length === 0;
  const unpack = rowDecoder(s.columns, s.codes);
  undecoded = null;
  if (first) undecoded = { arrays: s.rows, unpack, done: new Set(), ...columnsOf(s) };
  else
    for (const wire of s.rows) {
      const row = decode(unpack, wire);
      state.tallies.put(keyOf(row), row);
    }
  state.tallied = !first;
  state.indexed = false;
  if (!first) indexSearch();
  if (!new URLSearchParams(location.search).get('lang')) {
    const first = state.orgs.values().next().value;
    if (first && isLanguage(first.locale)) state.lang = first.locale;
  }
  state.dirty.sort = first ? 'first' : true;
  state.dirty.chrome = true;
  schedule();
}

export function applyDeltas(deltas: readonly WireDelta[]): void {
  decodeRest(); // a delta's row replaces (and is compared with) the row it had
  for (const d of deltas) {
    switch (d.type) {
      case 'row':
        putRow(d.row);
        break;
      case 'row-removed':
        removeRow(d.org, d.ext);
        break;
      case 'call':
        addCallNotice(d.org, d.ext, d.call);
        break;
      case 'department':
        if (d.department) state.departments.set(`${d.org}/${d.id}`, d.department);
        else state.departments.delete(`${d.org}/${d.id}`);
        // department names are part of what search matches: its people's texts, and its own
        reindexRows((row) => row.org === d.org && row.department === d.id);
        state.dirty.view = true;
        state.dirty.chrome = true;
        break;
      case 'queue':
        if (d.queue) state.queues.set(`${d.org}/${d.id}`, d.queue);
        else state.queues.delete(`${d.org}/${d.id}`);
        state.dirty.chrome = true;
        break;
      case 'phone-link':
        if (d.link) state.phoneLinks.set(d.org, d.link);
        else state.phoneLinks.delete(d.org);
        state.dirty.chrome = true;
        break;
      case 'org': {
        const before = state.orgs.size;
        if (d.info) state.orgs.set(d.org, d.info);
        else state.orgs.delete(d.org);
        // organisation names are part of the department column (and search) once there are several,
        // and of the words a department result is found by (search.ts)
        state.viewEpoch++;
        if (before !== state.orgs.size || state.orgs.size > 1) {
          reindexRows(() => true);
          state.dirty.view = true;
        }
        state.dirty.chrome = true;
        break;
      }
    }
  }
  schedule();
}
