// The person's audit in the details: who changed their referral from the board, when, and to what
// (GET /api/audit/{org}/{ext}, switchboard/board/audit.ts, read from the recorder's store). Fetched when
// the person is opened, when their state changes, and after the operator's own write. What the trail
// cannot hold is said in it: no store, the times the recorder was down, a store that cannot be read.
import type { AuditAnswer, AuditLine, Unrecorded } from '../audit.js';
import type { WholeRow } from '../wire-rows.js';
import { clock, reasonLabel } from './format.js';
import { get } from './session.js';
import { catalogueOf, keyOf, state, t, timeZoneOf } from './state.js';

const box = document.createElement('section');
box.className = 'actions history';
box.dataset.testid = 'audit';
let shownKey = '';
/** undefined: not fetched yet; null: the board could not read it */
let answer: AuditAnswer | null | undefined;
let drawnKey = '';

/** Fetches the lines again for `key` (org/ext), if it is the person shown. */
export async function refreshHistory(key: string): Promise<void> {
  const [org, ext] = key.split('/');
  const got = await get<AuditAnswer>(`/api/audit/${org}/${ext}`);
  if (key !== shownKey.split('|')[0]) return;
  answer = got;
  drawnKey = '';
  draw(state.rows.get(key));
}

/** The section for the row's person; fetches again when their state changed. */
export function renderHistory(row: WholeRow): HTMLElement {
  const key = `${keyOf(row)}|${row.status}|${row.reason}|${row.until}`;
  if (key !== shownKey) {
    if (keyOf(row) !== shownKey.split('|')[0]) answer = undefined;
    shownKey = key;
    refreshHistory(keyOf(row));
  }
  draw(row);
  return box;
}

/** Newest first: a gap sits where it ended (one still open on top), among the changes. */
type Entry = { line: AuditLine } | { gap: Unrecorded };
const timeOf = (e: Entry) =>
  'line' in e ? Date.parse(e.line.at) : e.gap.to === null ? Number.POSITIVE_INFINITY : Date.parse(e.gap.to);

function draw(row: WholeRow | undefined): void {
  if (!row) return;
  const key = `${keyOf(row)}|${state.lang}|${JSON.stringify(answer)}`;
  if (key === drawnKey) return;
  drawnKey = key;
  box.textContent = '';
  const entries: Entry[] = [
    ...(answer?.lines ?? []).map((line) => ({ line })),
    ...(answer?.unrecorded ?? []).map((gap) => ({ gap })),
  ].sort((a, b) => timeOf(b) - timeOf(a));
  const note = answer === null ? 'auditUnreadable' : answer?.kept === false ? 'auditNotKept' : undefined;
  box.hidden = !note && entries.length === 0;
  if (box.hidden) return;
  const h = t();
  const title = document.createElement('h3');
  title.textContent = h.history;
  box.append(title);
  if (note) {
    const p = document.createElement('p');
    p.className = 'audit-note';
    p.dataset.testid = 'audit-note';
    p.textContent = h[note];
    box.append(p);
  }
  const ul = document.createElement('ul');
  const tz = timeZoneOf(row.org);
  const at = (iso: string) => clock(iso, state.now, state.lang, tz);
  for (const e of entries) {
    const li = document.createElement('li');
    if ('gap' in e) {
      li.className = 'audit-gap';
      li.dataset.testid = 'audit-gap';
      const { from, to } = e.gap;
      li.textContent =
        from === null
          ? h.auditNeverRecorded
          : (to === null ? h.auditGapOpen : h.auditGap.replace('{to}', at(to))).replace('{from}', at(from));
    } else {
      const l = e.line;
      li.dataset.testid = 'audit-line';
      const what = l.reason
        ? `${reasonLabel(l.reason, state.lang, catalogueOf(row.org))}${l.until ? `, ${h.back} ${at(l.until)}` : `, ${h.furtherNotice}`}`
        : h.open;
      li.textContent = `${at(l.at)} ${l.by}: ${what}`;
    }
    ul.append(li);
  }
  if (entries.length) box.append(ul);
}
