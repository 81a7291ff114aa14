// The department strip: one chip per department (people in, next return, its call queue, an alarm),
// and queues that no department names. The summaries are departments.ts (pure), from the tallies
// kept as rows change.
import type { Queue } from '../../../protocol/index.js';
import { queueAlarmAt } from '../../../rules/queue-threshold.js';
import type { DepartmentSummary } from './departments.js';
import { $, input } from './elements.js';
import { clock, waited } from './format.js';
import {
  collator,
  DEPT,
  type DepartmentView,
  openDepartment,
  orgOf,
  queueNow,
  state,
  summaryOf,
  t,
  timeZoneOf,
} from './state.js';
import { ICONS } from './symbols.js';

/** Most departments fit in a strip; with many (a large organisation) only those needing attention. */
const STRIP_MAX = 16;

export function renderDepartments(now: number): void {
  const h = t();
  const chips: DepartmentView[] = [];
  const queuesShown = new Set<string>();
  for (const key of state.departments.keys()) {
    // a key of state.departments: summaryOf finds it
    const c = summaryOf(key, now) as DepartmentView;
    if (c.dept.queue) queuesShown.add(`${c.org}/${c.dept.queue}`);
    chips.push(c);
  }
  const orphanQueues = [...state.queues].filter(([key]) => !queuesShown.has(key));
  const attention = (c: DepartmentView) => c.summary.alarm || (c.queue && c.queue.waiting > 0);
  // the open department's chip stays, so its panel is never without one
  const shown =
    chips.length > STRIP_MAX ? chips.filter((c) => attention(c) || c.key === state.deptOpen) : chips;
  // alarms first, where the eye starts; then by name
  shown.sort(
    (a, b) =>
      Number(Boolean(b.summary.alarm)) - Number(Boolean(a.summary.alarm)) || collator.compare(a.name, b.name),
  );

  const strip = $('[data-testid="queues"]');
  strip.textContent = '';
  for (const c of shown) {
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.className = 'dept';
    chip.dataset.testid = 'department';
    chip.dataset.id = c.key;
    if (c.summary.alarm) chip.dataset.alarm = c.summary.alarm;
    if (c.summary.open === false) chip.dataset.closed = 'true';
    const name = document.createElement('span');
    name.className = 'qname';
    name.textContent = c.name;
    const inn = document.createElement('span');
    inn.className = 'din';
    inn.dataset.testid = 'dept-in';
    inn.textContent = inText(c.summary);
    chip.append(name, inn);
    if (c.summary.nextBack !== null) {
      const next = document.createElement('span');
      next.className = 'dnext';
      next.dataset.testid = 'dept-next';
      next.textContent = `${h.next} ${nextClock(c, now)}`;
      chip.append(next);
    }
    if (c.summary.alarm) {
      const alarm = document.createElement('strong');
      alarm.className = 'dalarm';
      alarm.dataset.testid = 'dept-alarm';
      alarm.textContent = alarmText(c.summary.alarm);
      chip.append(alarm);
    } else if (c.summary.open === false) {
      const closed = document.createElement('span');
      closed.className = 'dclosed';
      closed.textContent = h.closed;
      chip.append(closed);
    }
    if (c.queue) chip.append(queueChip(c.queue, c.org, c.name, now, false));
    chip.setAttribute('aria-expanded', String(c.key === state.deptOpen));
    // the caret stays in the search; a click (or Enter) opens the panel and lists the department
    chip.addEventListener('mousedown', (e) => e.preventDefault());
    chip.addEventListener('click', () => {
      state.selected = `${DEPT}${c.key}`; // its search result, not another department of the same name
      input.value = c.dept.name;
      input.dispatchEvent(new Event('input'));
      openDepartment(c.key);
      input.focus();
    });
    strip.append(chip);
  }
  for (const [key, q] of orphanQueues)
    strip.append(queueChip(q, orgOf(key), q.name ?? key.slice(key.indexOf('/') + 1), now, true));
}

export const inText = (summary: DepartmentSummary): string =>
  `${summary.available}/${summary.total} ${t().in}`;
export const alarmText = (alarm: NonNullable<DepartmentSummary['alarm']>): string =>
  alarm === 'must-answer' ? t().mustAnswer : t().allAway;
/** The next return in the department: "12:15", "tis 08:00". */
export const nextClock = (c: DepartmentView, now: number): string =>
  clock(new Date(c.summary.nextBack ?? now).toISOString(), now, state.lang, timeZoneOf(c.org));

/**
 * Waiting calls; red once the oldest has waited past the queue's threshold (its `alarmSeconds`, else
 * the organisation's `queueAlarmSeconds`: Guldborgsund's four rings, about 20 s), the desk lamp's rule.
 */
function queueChip(
  q: Queue,
  org: string,
  name: string,
  clockNow: number,
  withName: boolean,
): HTMLSpanElement {
  const h = t();
  const now = queueNow(clockNow);
  const chip = document.createElement('span');
  chip.className = 'queue';
  chip.dataset.testid = 'queue';
  // the board shows a stale queue's last snapshot at the outage's start (queueNow), so not as stale here
  const lateAt = queueAlarmAt({ ...q, stale: false }, state.orgs.get(org));
  chip.dataset.level = q.waiting === 0 ? 'idle' : lateAt !== undefined && now >= lateAt ? 'long' : 'busy';
  chip.title = name;
  if (withName) {
    const label = document.createElement('span');
    label.className = 'qname';
    label.textContent = name;
    chip.append(label);
  }
  const n = document.createElement('b');
  n.className = 'qn';
  n.textContent = String(q.waiting);
  const w = document.createElement('span');
  w.className = 'qwait';
  // "väntar · längst 0:09": the time is the longest wait, said so
  w.textContent = q.waiting
    ? `${h.waitingCalls} · ${h.longestWait} ${waited(q.oldestSince, now)}`
    : h.waitingCalls;
  const ico = document.createElement('i');
  ico.className = 'qico';
  ico.setAttribute('aria-hidden', 'true');
  ico.textContent = ICONS.calls;
  chip.append(ico, n, w);
  return chip;
}
