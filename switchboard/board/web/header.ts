// The header: column heads and the language switch, the organisation's name and greeting, and the
// counters (people, available, away, overdue, unknown, desks offline) above the department strip.

import { INTL_LOCALES, LANGUAGES } from '../../../protocol/languages.js';
import { $, input, list } from './elements.js';
import { clock } from './format.js';
import { renderLegend } from './help.js';
import { renderUser } from './session.js';
import { reindexSearch, schedule, state, t, timeZoneOf } from './state.js';
import { renderDepartments } from './strip.js';
import { VISIBLE_COLUMNS } from './visible-columns.js';

export function renderHead(): void {
  const h = t();
  const head = $('[data-testid="head"]');
  head.innerHTML = '';
  for (const column of VISIBLE_COLUMNS) {
    const s = document.createElement('span');
    s.className = `c-${column.id}`;
    s.textContent = h[column.heading];
    head.append(s);
  }
  input.placeholder = h.search;
  // the regions' and the list's names, in the page's language (a screen reader says them)
  $('.board').setAttribute('aria-label', h.boardName);
  $('[data-testid="queues"]').setAttribute('aria-label', h.stripName);
  $('[data-testid="legend"]').setAttribute('aria-label', h.legend);
  list.setAttribute('aria-label', h.listName);
  document.documentElement.lang = state.lang;
  const langs = $('[data-testid="langs"]');
  langs.innerHTML = '';
  for (const lang of LANGUAGES) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = lang;
    b.setAttribute('aria-pressed', String(lang === state.lang));
    b.addEventListener('click', () => {
      state.lang = lang;
      const params = new URLSearchParams(location.search);
      params.set('lang', lang);
      history.replaceState(null, '', `?${params}`);
      renderHead();
      renderUser();
      reindexSearch(); // the reasons are searched in the board's language
      state.dirty.view = true;
      state.dirty.chrome = true;
      schedule();
      input.focus();
    });
    langs.append(b);
  }
}

/** The counters and the department strip, from the tallies kept as rows change (no walk over the rows). */
export function renderChrome(): void {
  const now = state.now;
  const orgs = [...state.orgs.values()];
  $('[data-testid="org-name"]').textContent = orgs.map((o) => o.name).join(' · ') || 'hanvisa';
  $('[data-testid="greeting"]').textContent = orgs.length === 1 ? (orgs[0]?.greeting ?? '') : '';
  document.title = `${orgs[0]?.name ?? 'hanvisa'} · hanvisa`;
  const counts = state.tallies.counts(now);
  const h = t();
  const box = $('[data-testid="counts"]');
  box.textContent = '';
  box.append(
    count('total', state.rows.size, h.people),
    count('available', counts.available, h.available.toLowerCase()),
    count('away', counts.away, h.away),
    count('overdue', counts.overdue, h.overdueCount),
    count('unknown', counts.unknown, h.unknownCount),
    count('offline', counts.offline, h.offlineCount),
  );
  renderLegend();
  const first = state.orgs.keys().next().value;
  const zone = first === undefined ? undefined : timeZoneOf(first);
  renderClock(now, zone);
  renderDepartments(now);
  renderPhoneBanner(h);
  renderOutage(h, now, zone);
}

/** During an outage: the board dimmed (style.css) and since when it shows the last known state. */
function renderOutage(h: ReturnType<typeof t>, now: number, timeZone: string | undefined): void {
  const since = state.staleSince;
  document.body.dataset.stale = String(since !== null);
  const banner = $('[data-testid="stale-banner"]');
  banner.hidden = since === null;
  banner.textContent =
    since === null
      ? ''
      : `${h.lastUpdated} ${clock(new Date(since).toISOString(), now, state.lang, timeZone)}: ${h.staleWhy}`;
}

/** One line per organisation whose phone system is unreachable: its lamps show stale values. */
function renderPhoneBanner(h: ReturnType<typeof t>): void {
  const banner = $('[data-testid="phone-banner"]');
  const down = [...state.phoneLinks].filter(([, link]) => !link.up);
  banner.hidden = down.length === 0;
  banner.textContent = down
    .map(([org, link]) => {
      const timeZone = timeZoneOf(org);
      const since = new Date(link.since).toLocaleTimeString('sv-SE', {
        hour: '2-digit',
        minute: '2-digit',
        ...(timeZone ? { timeZone } : {}),
      });
      const name = state.orgs.size > 1 || !state.orgs.has(org) ? `${state.orgs.get(org)?.name ?? org}: ` : '';
      return `${name}${h.phoneDown} ${since}`;
    })
    .join(' · ');
}

const clockFormats = new Map<string, [date: Intl.DateTimeFormat, time: Intl.DateTimeFormat]>();
/** The date and time in the (first) organisation's zone: "ons 2 dec. 14:05". */
function renderClock(now: number, timeZone: string | undefined): void {
  const key = `${state.lang}|${timeZone}`;
  let parts = clockFormats.get(key);
  if (!parts) {
    const zone = timeZone ? { timeZone } : {};
    parts = [
      new Intl.DateTimeFormat(INTL_LOCALES[state.lang], {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        ...zone,
      }),
      new Intl.DateTimeFormat(INTL_LOCALES[state.lang], {
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        ...zone,
      }),
    ];
    clockFormats.set(key, parts);
  }
  $('[data-testid="date"]').textContent = parts[0].format(now);
  $('[data-testid="clock"]').textContent = parts[1].format(now);
}

function count(kind: string, n: number, label: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = `count ${kind}`;
  s.dataset.testid = `count-${kind}`;
  const b = document.createElement('b');
  b.textContent = String(n);
  s.append(b, ` ${label}`);
  return s;
}
