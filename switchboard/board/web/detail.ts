// The detail panel (Enter or a click): the person's facts, the open phone messages, and for an
// operator the controls to act on their behalf (acting.ts).
import type { WholeRow } from '../wire-rows.js';
import { renderActions } from './acting.js';
import { callText } from './call-texts.js';
import { weekHours } from './departments.js';
import { button, detail, input, link, orgBlock } from './elements.js';
import { attempt } from './form-parts.js';
import { clock, deskText, nextAbsenceText, returnText, stateOf, stateText } from './format.js';
import { lineText } from './line.js';
import { numberText } from './numbers.js';
import { post, session } from './session.js';
import {
  catalogueOf,
  departmentName,
  keyOf,
  named,
  openDepartment,
  schedule,
  state,
  t,
  timeZoneOf,
} from './state.js';

// In five parts: who and their state, and the facts (both redrawn every frame), the organisation and
// department (redrawn when they change, so the department's button keeps its focus), the messages
// (likewise) and the operator's controls (built when another person is opened, so typing survives deltas).
const detailHead = document.createElement('div');
const detailInfo = document.createElement('div');
const detailOrg = document.createElement('div');
const detailMessages = document.createElement('div');
const detailActions = document.createElement('div');
// Open phone messages right under the name when there are any (the call back is the task at hand;
// at the bottom they sat ~700 px down), then the facts and the operator's controls, above the fold
// on a 720-px-high screen.
detail.append(detailHead, detailMessages, detailInfo, detailActions, detailOrg);

export function renderDetail(): void {
  const row = state.detailOpen && state.selected ? state.rows.get(state.selected) : undefined;
  detail.hidden = !row;
  if (!row) return;
  const now = state.now;
  const h = t();
  const tz = timeZoneOf(row.org);
  const st = stateOf(row, now);
  detail.dataset.state = st;
  detailHead.textContent = '';
  detailInfo.textContent = '';
  const title = document.createElement('h2');
  title.textContent = row.name ?? row.ext;
  title.dataset.testid = 'detail-name';
  const sub = document.createElement('p');
  sub.className = 'sub';
  sub.textContent = [row.title, departmentName(row)].filter(Boolean).join(' · ');
  const status = document.createElement('p');
  status.className = 'status';
  status.dataset.testid = 'detail-status';
  status.textContent = [
    stateText(row, state.lang, catalogueOf(row.org)),
    returnText(row, now, state.lang, tz),
  ]
    .filter(Boolean)
    .join(' · ');
  const close = button('✕', 'detail-close', () => {
    state.detailOpen = false;
    input.focus();
    schedule();
  });
  close.className = 'close';
  close.title = 'Esc';
  detailHead.append(close, title, sub, status);
  const dl = document.createElement('dl');
  const item = (label: string, value: string | null, testid?: string) => {
    if (!value) return;
    const dt = document.createElement('dt');
    dt.textContent = label.charAt(0).toUpperCase() + label.slice(1);
    const dd = document.createElement('dd');
    dd.textContent = value;
    if (testid) dd.dataset.testid = testid;
    dl.append(dt, dd);
  };
  // issue 23: OE said with the extension; each number with whom it may be given to (numbers.ts)
  item(h.ext, row.mobileExtension ? `${row.ext} · ${h.mobileExtension}` : row.ext, 'detail-ext');
  for (const kind of ['direct', 'mobile', 'email'] as const)
    item(h[kind], numberText(row, kind), `detail-${kind}`);
  item(h.keywords, row.keywords?.join(', ') ?? '', 'detail-keywords');
  if (row.status === 'away' && row.since) item(h.since, clock(row.since, now, state.lang, tz));
  const alt = named(row);
  if (alt?.kind === 'forward') item(h.forward, `${alt.to}${alt.name ? ` ${alt.name}` : ''}`);
  if (row.alt?.kind === 'info') item(h.info, row.alt.text ?? '');
  item(h.note, row.note);
  item(h.voicemail, row.voicemail ? String(row.voicemail) : '');
  item(h.messages, row.messages ? String(row.messages) : '');
  item(h.desk, row.online === null ? '' : deskText(row, state.lang));
  item(callText('line'), lineText(row, now));
  item(h.deviceWarnings, row.deviceWarnings?.join('; ') ?? '');
  // for IT during an upgrade: which release each of the person's desks runs, on which firmware
  item(
    h.deviceVersions,
    (row.deviceVersions ?? [])
      .map((d) =>
        [d.agent && `${h.agentVersion} ${d.agent}`, d.firmware && `${h.firmwareVersion} ${d.firmware}`]
          .filter(Boolean)
          .join(', '),
      )
      .join('; '),
  );
  // the calendar bridge cannot read the calendar: what it set may be stale (docs/calendar.md)
  if (row.calendar)
    item(
      h.calendar,
      `${h.calendarFailing}${row.calendar.lastGood ? `, ${h.calendarLastRead} ${clock(row.calendar.lastGood, now, state.lang, tz)}` : ''}: ${row.calendar.error}`,
    );
  item(h.nextAbsence, nextAbsenceText(row.nextAbsence, now, state.lang, catalogueOf(row.org), tz, true));
  const dept = row.department ? state.departments.get(`${row.org}/${row.department}`) : undefined;
  if (dept?.phoneHours?.length) {
    item(h.phoneHours, weekHours(dept.phoneHours, h.days));
  }
  // SAMSA §7: staggered phone hours inside the department
  if (row.phoneHours?.length) item(h.ownHours, weekHours(row.phoneHours, h.days));
  item(h.deptNotice, dept?.notice ?? '', 'detail-dept-notice');
  detailInfo.append(dl);
  if (row.desk) detailInfo.append(link(row.desk, `${h.openDesk} ↗`, h.openDesk));
  renderOrg(row);
  renderMessages(row, now, tz);
  renderActions(row, detailActions);
}

let orgKey = '';
/** Whose person this is, with the greeting to answer with (several organisations on one board), and
 * the department's panel a button away. */
function renderOrg(row: WholeRow): void {
  const info = state.orgs.get(row.org);
  const deptKey = row.department ? `${row.org}/${row.department}` : null;
  const dept = deptKey ? state.departments.get(deptKey) : undefined;
  const key = `${row.org}|${deptKey}|${dept?.name}|${info?.name}|${info?.greeting}|${state.lang}`;
  if (key === orgKey) return;
  orgKey = key;
  detailOrg.textContent = '';
  detailOrg.append(orgBlock(info, row.org));
  if (deptKey && dept) {
    const open = button(dept.name, 'detail-dept', () => {
      openDepartment(deptKey);
      input.focus(); // as after Enter on a department result: Tab goes into the panel
    });
    open.className = 'to-dept';
    open.title = t().department;
    detailOrg.append(open);
  }
}

let messagesKey = '';
function renderMessages(row: WholeRow, now: number, tz: string | undefined): void {
  // Redrawn only when they (or the day, which decides "17:00" or "tis 17:00", or the session) change, so a focused
  // Handled button keeps its focus through the deltas.
  const key = `${keyOf(row)}|${session.role}|${session.ext}|${state.lang}|${tz}|${new Date(now).toDateString()}|${JSON.stringify(row.phoneMessages ?? null)}`;
  if (key === messagesKey) return;
  messagesKey = key;
  detailMessages.textContent = '';
  if (!row.phoneMessages?.length) return;
  const h = t();
  const mayHandle = session.role === 'operator' || session.ext === row.ext;
  const ul = document.createElement('ul');
  ul.className = 'messages';
  ul.dataset.testid = 'detail-messages';
  for (const m of row.phoneMessages) {
    const li = document.createElement('li');
    const who = document.createElement('b');
    who.textContent = [m.from, m.number].filter(Boolean).join(', ');
    const text = document.createElement('p');
    text.textContent = m.text;
    const meta = document.createElement('small');
    meta.textContent = [
      m.callbackBy ? `${h.callbackBy} ${clock(m.callbackBy, now, state.lang, tz)}` : '',
      m.takenBy ? `${h.takenBy} ${m.takenBy}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    li.append(who, text, meta);
    if (mayHandle) {
      const out = document.createElement('span');
      out.className = 'result';
      out.setAttribute('aria-live', 'polite');
      li.append(
        button(h.handled, 'msg-handled', () =>
          attempt(out, () =>
            post(`/api/messages/${row.org}/${row.ext}/${encodeURIComponent(m.id)}/handled`, {}),
          ),
        ),
        out,
      );
    }
    ul.append(li);
  }
  const title = document.createElement('h3');
  title.textContent = h.messages.charAt(0).toUpperCase() + h.messages.slice(1);
  detailMessages.append(title, ul);
}
