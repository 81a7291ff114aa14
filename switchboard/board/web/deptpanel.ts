// The department panel (a chip, a department result in the search, or a person's department): the
// organisation and its greeting, today's and the week's phone hours with open or closed now, the
// queue, the alarm and why, who covers a must-answer function, who is in, and who is away by return
// time so the next person back is first. Drawn from the department's own rows, which the tallies keep
// as rows change (departments.ts), and only when they, the clock tick or the directory changed: a
// delta costs the department's rows, never the board's. Only row fields the session already has
// (reasons as the server reduced them, no notes or messages).
import type { Queue } from '../../../protocol/index.js';
import { forecastCoverage } from '../../../rules/coverage.js';
import { onCallNow } from '../../../rules/on-call.js';
import { policyFromOrg } from '../../../rules/policy.js';
import { queueAlarmSeconds } from '../../../rules/queue-threshold.js';
import { formatLocal } from '../../../rules/time.js';
import type { WholeRow } from '../wire-rows.js';
import { departmentActions } from './department-acting.js';
import { type DepartmentSummary, holidayToday, hoursToday, roster, weekHours } from './departments.js';
import { deptPanel, input, orgBlock } from './elements.js';
import { returnText, stateOf, stateText, waited, zoneOr } from './format.js';
import { lateInDepartment } from './late-callbacks.js';
import { select } from './list.js';
import {
  catalogueOf,
  collator,
  type DepartmentView,
  keyOf,
  queueNow,
  state,
  summaryOf,
  t,
  timeZoneOf,
} from './state.js';
import { alarmText, nextClock } from './strip.js';

/** Longer lists end with "+ 12 more": the panel is for the next few, not a second board. */
const LIST_MAX = 100;

let drawn = '';

/** force: the clock or the directory moved (state.dirty.chrome). */
export function renderDepartmentPanel(force: boolean): void {
  const now = state.now;
  const c = state.deptOpen ? summaryOf(state.deptOpen, now) : undefined;
  deptPanel.hidden = !c;
  if (!c) {
    drawn = '';
    return;
  }
  const stamp = `${c.key}|${state.tallies.version(c.key)}|${state.lang}`;
  if (stamp === drawn && !force) return;
  drawn = stamp;
  // a focused person keeps the focus through the redraw (found again by key)
  const active = document.activeElement;
  const focused =
    active instanceof HTMLElement && deptPanel.contains(active) ? active.dataset.key : undefined;
  // a field of the department's referral form is the same element after the redraw: focused again
  const typing = active instanceof HTMLElement && active.closest('[data-testid="dept-act"]') ? active : null;
  deptPanel.textContent = '';
  draw(c, now);
  typing?.focus();
  if (focused)
    [...deptPanel.querySelectorAll<HTMLButtonElement>('button[data-key]')]
      .find((b) => b.dataset.key === focused)
      ?.focus();
}

/**
 * Whom a caller can reach when nobody in the department can answer (SAMSA: an on-call phone must
 * always answer; Guldborgsund): the organisation's on-call numbers for this department (or for all)
 * that are in force now (their dates, weekdays, working or after hours: rules/on-call.ts; a Kalmar
 * case sent callers to the wrong social on-call on New Year's Eve), while the whole department is
 * away or its phone hours are over, and the after-hours message then.
 */
function reachInstead(c: DepartmentView, summary: DepartmentSummary, now: number): void {
  const info = state.orgs.get(c.org);
  const closed = (c.dept.phoneHours ?? []).length > 0 && !summary.open;
  if (!info || !(summary.alarm || closed)) return;
  const id = c.key.slice(c.org.length + 1);
  const numbers = onCallNow(info.onCall, id, now, policyFromOrg(info));
  if (numbers.length > 0) {
    const p = document.createElement('p');
    p.className = 'status';
    p.dataset.testid = 'dept-on-call';
    p.textContent = `${t().onCall}: ${numbers.map((n) => `${n.label} ${n.number}`).join(', ')}`;
    deptPanel.append(p);
  }
  if (closed && info.afterHours) {
    const p = document.createElement('p');
    p.dataset.testid = 'dept-after-hours';
    p.textContent = info.afterHours;
    deptPanel.append(p);
  }
}

function draw(c: DepartmentView, now: number): void {
  const h = t();
  const tz = timeZoneOf(c.org);
  const { summary, dept } = c;
  deptPanel.dataset.state = summary.alarm ? 'overdue' : summary.available ? 'available' : 'away';
  const title = document.createElement('h2');
  title.dataset.testid = 'dept-panel-name';
  title.textContent = dept.name;
  deptPanel.append(title, orgBlock(state.orgs.get(c.org), c.org));
  if (summary.alarm) {
    const alarm = document.createElement('p');
    alarm.className = 'status alarm';
    alarm.dataset.testid = 'dept-panel-alarm';
    // available people outside their own phone hours (SAMSA §7) are why, not "everyone away"
    const why =
      summary.available > 0
        ? h.ownHoursWhy
        : summary.alarm === 'must-answer'
          ? h.mustAnswerWhy
          : h.allAwayWhy;
    alarm.textContent = `${alarmText(summary.alarm)}: ${why}`;
    deptPanel.append(alarm);
  }
  reachInstead(c, summary, now);
  const people = roster(state.tallies.members(c.key), now, (a, b) =>
    collator.compare(a.name ?? a.ext, b.name ?? b.ext),
  );

  const dl = document.createElement('dl');
  const item = (label: string, value: string, testid: string) => {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dd.dataset.testid = testid;
    dl.append(dt, dd);
  };
  // "08:00–16:00 · open now"; a day without hours is closed all day
  const hours = dept.phoneHours ?? [];
  const org = state.orgs.get(c.org);
  const today = hoursToday(hours, now, org).map((w) => `${w.from}–${w.to}`);
  const label = `${h.phoneHours} ${h.today.toLowerCase()}`;
  if (hours.length === 0) item(label, h.noHours, 'dept-today');
  else {
    const openNow = summary.open ? h.openNow : h.closedNow;
    // a listed holiday: closed all day, and the panel says why (the week's hours still list the weekday)
    const closedToday = holidayToday(now, org) ? `${h.closed} · ${h.holiday}` : h.closed;
    item(label, today.length ? `${today.join(', ')} · ${openNow}` : closedToday, 'dept-today');
    item(h.week, weekHours(hours, h.days), 'dept-week');
  }
  if (c.queue) {
    const q = c.queue;
    item(
      capital(h.queue),
      q.waiting
        ? `${q.waiting} ${h.waitingCalls} · ${h.longestWait} ${waited(q.oldestSince, queueNow(now))}`
        : `0 ${h.waitingCalls}`,
      'dept-queue',
    );
  }
  if (c.queue?.calls?.length) queueCalls(dl, c.queue, c.org, now);
  // issue 23: what the department has told the switchboard (Falkenberg: changes told in time)
  if (dept.notice) item(h.deptNotice, dept.notice, 'dept-notice');
  if (dept.mustAnswer) {
    const covers = people.in.map((p) => `${p.name ?? p.ext} (${p.ext})`).join(', ');
    item(h.mustAnswerLabel, `${h.coveredBy} ${covers || h.nobody}`, 'dept-must');
  }
  const next = people.away[0];
  if (summary.nextBack !== null && next)
    item(h.nextBack, `${next.name ?? next.ext} ${nextClock(c, now)}`, 'dept-next-back');
  const ahead = forecast(c, now);
  if (ahead !== null) item(h.forecast, ahead, 'dept-forecast');
  deptPanel.append(dl);

  section(`${h.inNow} ${summary.available}/${summary.total}`, 'dept-in-list', people.in, now, tz);
  section(h.awayNow, 'dept-away-list', people.away, now, tz);
  section(h.unknownNow, 'dept-unknown-list', people.unknown, now, tz);
  // issue 23: callbacks past their deadline, per person (late-callbacks.ts)
  const late = lateInDepartment(state.tallies.members(c.key), c.org, now, tz);
  section(h.lateCallbacks, 'dept-late-list', late.rows, now, tz, late.text);
  // issue 23: the whole department referred at once (department-acting.ts), kept across redraws
  const act = departmentActions(c.key, c.org);
  if (act) deptPanel.append(act);
}

/**
 * The rest of the day (rules/coverage.ts): "ingen inne 12:00–13:00", or staffed. From each person's
 * state, return time, own hours and the calendar's next absence (calendar/{ext} `next`, docs/board.md).
 */
function forecast(c: DepartmentView, now: number): string | null {
  const org = state.orgs.get(c.org);
  const timeZone = zoneOr(org?.timeZone);
  const people = [...state.tallies.members(c.key)].map((row) => ({
    status: row.status,
    until: row.until ? Date.parse(row.until) : null,
    phoneHours: row.phoneHours,
    next: row.nextAbsence
      ? { from: Date.parse(row.nextAbsence.from), to: Date.parse(row.nextAbsence.to) }
      : null,
  }));
  const f = forecastCoverage(
    { phoneHours: c.dept.phoneHours ?? [], mustAnswer: c.dept.mustAnswer ?? false },
    people,
    now,
    { timeZone, holidays: org?.holidays },
  );
  if (!f) return null;
  if (f.gaps.length === 0) return t().staffedRest;
  const hm = (ms: number) => formatLocal(new Date(ms), timeZone);
  // a gap to midnight ends at 00:00 of the next day: said as the day's end
  const ranges = f.gaps.map((g) => `${hm(g.from)}–${g.to === f.until ? '24:00' : hm(g.to)}`);
  return `${t().nobodyIn} ${ranges.join(', ')}`;
}

/** Calls shown by position; the rest are "+ 12 more". */
const CALLS_MAX = 20;

/**
 * The waiting calls in queue order (Guldborgsund: "du er nummer x i køen"), each with how long it has
 * waited, red once past the queue's threshold (rules/queue-threshold.ts): where the phone system
 * reports positions (queue `calls`).
 */
function queueCalls(dl: HTMLDListElement, queue: Queue, org: string, now: number): void {
  const h = t();
  const at = queueNow(now);
  const limit = queueAlarmSeconds(queue, state.orgs.get(org)) * 1000;
  const ol = document.createElement('ol');
  ol.className = 'calls';
  ol.dataset.testid = 'dept-queue-calls';
  const calls = [...(queue.calls ?? [])].sort((a, b) => a.position - b.position);
  for (const call of calls.slice(0, CALLS_MAX)) {
    const li = document.createElement('li');
    li.dataset.level = at - Date.parse(call.since) >= limit ? 'long' : 'busy';
    li.textContent = `${h.queuePosition} ${call.position} · ${h.waitedFor} ${waited(call.since, at)}`;
    ol.append(li);
  }
  if (calls.length > CALLS_MAX) {
    const li = document.createElement('li');
    li.className = 'more';
    li.textContent = `+ ${calls.length - CALLS_MAX} ${h.more}`;
    ol.append(li);
  }
  const dt = document.createElement('dt');
  dt.textContent = h.inQueue;
  const dd = document.createElement('dd');
  dd.append(ol);
  dl.append(dt, dd);
}

/** A headed list of people, each a button that opens that person (Enter, or a click). */
function section(
  heading: string,
  testid: string,
  rows: readonly WholeRow[],
  now: number,
  tz: string | undefined,
  /** what to say under each person; default: their state and return while away */
  detailOf?: (row: WholeRow) => string,
): void {
  if (rows.length === 0 && testid !== 'dept-in-list') return;
  const h3 = document.createElement('h3');
  h3.textContent = heading;
  const ul = document.createElement('ul');
  ul.className = 'people';
  ul.dataset.testid = testid;
  for (const row of rows.slice(0, LIST_MAX)) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.key = keyOf(row);
    b.dataset.state = stateOf(row, now);
    b.dataset.testid = 'dept-person';
    const name = document.createElement('b');
    name.textContent = row.name ?? `(${row.ext})`;
    const ext = document.createElement('span');
    ext.className = 'ext';
    ext.textContent = row.ext;
    b.append(name, ext);
    const said = detailOf
      ? detailOf(row)
      : row.status === 'away'
        ? [stateText(row, state.lang, catalogueOf(row.org)), returnText(row, now, state.lang, tz)].join(' · ')
        : '';
    if (said) {
      const why = document.createElement('small');
      why.textContent = said;
      b.append(why);
    }
    // SAMSA §7: someone with phone hours of their own answers only in them ("egen telefontid 08:00–11:00")
    if (row.phoneHours?.length) {
      const own = hoursToday(row.phoneHours, now, state.orgs.get(row.org)).map((w) => `${w.from}–${w.to}`);
      const hours = document.createElement('small');
      hours.dataset.testid = 'dept-person-hours';
      hours.textContent = `${t().ownHours.toLowerCase()} ${own.length ? own.join(', ') : t().closed}`;
      b.append(hours);
    }
    b.addEventListener('click', () => openPerson(keyOf(row)));
    li.append(b);
    ul.append(li);
  }
  if (rows.length > LIST_MAX) {
    const li = document.createElement('li');
    li.className = 'more';
    li.textContent = `+ ${rows.length - LIST_MAX} ${t().more}`;
    ul.append(li);
  }
  deptPanel.append(h3, ul);
}

/** From the panel to the person's details; the search is cleared if it hides them. */
function openPerson(key: string): void {
  if (!state.view.includes(key)) {
    input.value = '';
    input.dispatchEvent(new Event('input'));
    state.view = state.order;
  }
  select(key, true);
  input.focus();
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
