// The stream's snapshot and deltas applied to the page's state.

import { isLanguage } from '../../../protocol/languages.js';
import type { Snapshot } from '../model.js';
import type { WireDelta, WireSnapshot } from '../wire.js';
import { rowDecoder, type WireRow, wholeRow } from '../wire-rows.js';
import { addCallNotice } from './call-notices.js';
import { staleText } from './haystack.js';
import { indexSearch, keyOf, reindexRows, schedule, searchText, searchTextAfter, state } from './state.js';
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
  // The page's first snapshot shows its first screen before 50,000 rows are sorted, counted and
  // indexed for search (list.ts reorder); a later one (a reconnect, the list scrolled or searched)
  // does it all now.
  const first = state.order.length === 0;
  const unpack = rowDecoder(s.columns, s.codes);
  for (const wire of s.rows) {
    const row = unpack(wire);
    const key = keyOf(row);
    state.rows.set(key, row);
    if (!first) state.tallies.put(key, row);
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
