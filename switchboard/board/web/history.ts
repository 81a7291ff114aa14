// The person's audit in the details: who changed their referral from the board, when, and to what
// (GET /api/audit/{org}/{ext}, switchboard/board/audit.ts). Fetched when the person is opened, when
// their state changes, and after the operator's own write.
import type { AuditLine } from '../audit.js';
import type { WholeRow } from '../wire-rows.js';
import { clock, reasonLabel } from './format.js';
import { get } from './session.js';
import { catalogueOf, keyOf, state, t, timeZoneOf } from './state.js';

const box = document.createElement('section');
box.className = 'actions history';
box.dataset.testid = 'audit';
let shownKey = '';
let lines: AuditLine[] = [];
let drawnKey = '';

/** Fetches the lines again for `key` (org/ext), if it is the person shown. */
export async function refreshHistory(key: string): Promise<void> {
  const [org, ext] = key.split('/');
  const answer = await get<{ lines: AuditLine[] }>(`/api/audit/${org}/${ext}`);
  if (!answer || key !== shownKey.split('|')[0]) return;
  lines = answer.lines;
  drawnKey = '';
  draw(state.rows.get(key));
}

/** The section for the row's person; fetches again when their state changed. */
export function renderHistory(row: WholeRow): HTMLElement {
  const key = `${keyOf(row)}|${row.status}|${row.reason}|${row.until}`;
  if (key !== shownKey) {
    if (keyOf(row) !== shownKey.split('|')[0]) lines = [];
    shownKey = key;
    refreshHistory(keyOf(row));
  }
  draw(row);
  return box;
}

function draw(row: WholeRow | undefined): void {
  if (!row) return;
  const key = `${keyOf(row)}|${state.lang}|${JSON.stringify(lines)}`;
  if (key === drawnKey) return;
  drawnKey = key;
  box.textContent = '';
  box.hidden = lines.length === 0;
  if (!lines.length) return;
  const h = t();
  const title = document.createElement('h3');
  title.textContent = h.history;
  const ul = document.createElement('ul');
  const tz = timeZoneOf(row.org);
  for (const l of lines) {
    const li = document.createElement('li');
    li.dataset.testid = 'audit-line';
    const what = l.reason
      ? `${reasonLabel(l.reason, state.lang, catalogueOf(row.org))}${l.until ? `, ${h.back} ${clock(l.until, state.now, state.lang, tz)}` : `, ${h.furtherNotice}`}`
      : h.open;
    li.textContent = `${clock(l.at, state.now, state.lang, tz)} ${l.by}: ${what}`;
    ul.append(li);
  }
  box.append(title, ul);
}
