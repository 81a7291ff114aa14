// The statistics page: the form's values live in the URL (a view can be bookmarked or sent), the
// figures come from /api/stats, the charts are uPlot (loaded as a classic script: window.uPlot).
// The charts are in stats-chart.ts; the elements, language and number formats all parts share, in stats-dom.ts.
import { INTL_LOCALES, LANGUAGES } from '../../../protocol/languages.js';
import type { ReasonColumn } from '../figures/reason-columns.js';
import type { Figures, Report } from '../figures/report.js';
import { chart, fitToWindow } from './stats-chart.js';
import { $, el, lang, num, params, t } from './stats-dom.js';

/** What /api/stats answers (stats-http.ts): the report with the names and zone to show it in. */
type StatsAnswer = Report & {
  names?: Record<string, string>;
  /** extension → name, where the role may see people */
  personNames?: Record<string, string>;
  /** one column per reason recorded, named in the page's language */
  reasons?: ReasonColumn[];
  orgs?: { id: string; name: string }[];
  /** private reasons show for groups of at least this many people */
  minGroupSize?: number;
  timeZone: string;
};

/** The form's fields the URL carries. */
const FIELDS = ['org', 'from', 'to', 'period', 'department'] as const;
/** A field of the form by its name (stats.html has each of FIELDS). */
const fieldOf = (form: HTMLFormElement, name: string) =>
  form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;

const localDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
/** times in the organisation's zone (the report's), as the board shows them */
let timeZone: string | undefined;
const when = (ms: number) =>
  new Date(ms).toLocaleString(INTL_LOCALES[lang], {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone,
  });

function translate() {
  document.documentElement.lang = lang;
  document.title = `hanvisa · ${t('title')}`;
  for (const node of document.querySelectorAll('[data-text]'))
    if (node instanceof HTMLElement) node.textContent = t(node.dataset.text ?? '');
  const langs = $('langs');
  for (const code of LANGUAGES) {
    const next = new URLSearchParams(location.search);
    next.set('lang', code);
    langs.append(
      el(
        'a',
        { href: `?${next}`, 'data-lang': code, ...(code === lang ? { 'aria-current': 'true' } : {}) },
        code,
      ),
    );
  }
}

function fillForm() {
  const form = $('controls', HTMLFormElement);
  const today = new Date();
  const weekAgo = new Date(today.getTime() - 6 * 86_400_000);
  fieldOf(form, 'from').value = params.get('from') ?? localDay(weekAgo);
  fieldOf(form, 'to').value = params.get('to') ?? localDay(today);
  fieldOf(form, 'period').value = params.get('period') ?? 'day';
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const name of FIELDS) {
      const value = fieldOf(form, name).value;
      if (value) next.set(name, value);
    }
    next.set('lang', lang);
    location.search = `?${next}`;
  });
}

function query() {
  const form = $('controls', HTMLFormElement);
  const q = new URLSearchParams();
  for (const name of FIELDS) {
    const v = params.get(name) ?? fieldOf(form, name).value;
    if (v) q.set(name, v);
  }
  return q;
}

const CARDS: [string, (figures: Figures) => number | null][] = [
  ['unstaffed', (f) => f.unstaffedMinutes],
  ['alarms', (f) => f.alarms],
  ['referrals', (f) => f.referrals],
  ['overdue', (f) => f.overdue],
  ['overdueAvg', (f) => f.overdueMinutesAvg],
  ['reopenedEarly', (f) => f.reopenedEarly],
  ['deskOffline', (f) => f.deskOfflineMinutes],
  ['taken', (f) => f.messagesTaken],
  ['handled', (f) => f.messagesHandled],
  ['late', (f) => f.messagesLate],
  ['handleAvg', (f) => f.handleMinutesAvg],
  ['calls', (f) => f.calls],
  ['answeredWithin', (f) => f.answeredWithin],
  ['abandoned', (f) => f.abandoned],
  ['waitP50', (f) => f.waitP50],
  ['waitP90', (f) => f.waitP90],
  ['queuePeak', (f) => f.queuePeak],
  ['queueLongest', (f) => f.queueLongestSeconds],
  ['unreferred', (f) => f.unreferred],
  ['answeredInRings', (f) => f.answeredInRings],
  ['answeredInRingsPct', (f) => f.answeredInRingsPct],
  ['transfers', (f) => f.transfers],
  ['transferredCorrectlyPct', (f) => f.transferredCorrectlyPct],
  ['unrecorded', (f) => f.unrecordedMinutes],
];

/** The placeholders of the texts: the queue's threshold and the organisation's N rings. */
const varsOf = (report: Report) => ({ s: report.thresholdSeconds, n: report.answer.rings });

function cards(report: StatsAnswer) {
  const box = $('cards');
  box.replaceChildren();
  for (const [key, pick] of CARDS) {
    const value = pick(report.overall);
    box.append(
      el(
        'div',
        { class: 'card', 'data-testid': `card-${key}`, 'data-value': value === null ? '' : String(value) },
        el('b', {}, num(value)),
        el('span', {}, t(key, varsOf(report))),
      ),
    );
  }
}

function notices(report: StatsAnswer) {
  const box = $('notices');
  box.replaceChildren();
  for (const g of report.gaps)
    box.append(
      el(
        'p',
        { class: 'notice gap', 'data-testid': 'gap' },
        g.to === null
          ? t('gapOpen', { from: when(g.from) })
          : t('gap', { from: when(g.from), to: when(g.to) }),
      ),
    );
  if (!report.callEvents) box.append(el('p', { class: 'notice', 'data-testid': 'no-calls' }, t('noCalls')));
}

function table(target: string, head: string[], rows: (string | number | null)[][]) {
  const node = $(target);
  node.replaceChildren(el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h))));
  if (rows.length === 0) node.append(el('tr', {}, el('td', { colspan: String(head.length) }, t('none'))));
  // words (names, kinds, times) read from the left; numbers line up on the right
  for (const r of rows)
    node.append(
      el(
        'tr',
        { 'data-row': String(r[0]) },
        ...r.map((c) => el('td', typeof c === 'string' ? { class: 'text' } : {}, num(c))),
      ),
    );
}

function render(report: StatsAnswer) {
  timeZone = report.timeZone;
  const labels = report.total.map((f) => f.period);
  const names = report.names ?? {};
  const nameOf = (id: string) => names[id] ?? id;
  cards(report);
  notices(report);
  chart('chart-unstaffed', labels, [
    { label: t('unstaffed'), unit: 'minutesUnit', values: report.total.map((f) => f.unstaffedMinutes) },
  ]);
  chart('chart-referrals', labels, [
    { label: t('referrals'), unit: 'countUnit', values: report.total.map((f) => f.referrals) },
    { label: t('overdue'), unit: 'countUnit', values: report.total.map((f) => f.overdue) },
  ]);
  chart('chart-calls', labels, [
    {
      label: t('answeredWithin', { s: report.thresholdSeconds }),
      unit: 'countUnit',
      values: report.total.map((f) => f.answeredWithin),
    },
    { label: t('abandoned'), unit: 'countUnit', values: report.total.map((f) => f.abandoned) },
  ]);
  chart('chart-ext-calls', labels, [
    {
      label: t('answeredInRings', varsOf(report)),
      unit: 'countUnit',
      values: report.total.map((f) => f.answeredInRings),
    },
    { label: t('unreferred'), unit: 'countUnit', values: report.total.map((f) => f.unreferred) },
    { label: t('transfersBounced'), unit: 'countUnit', values: report.total.map((f) => f.transfersBounced) },
  ]);
  const cols = [
    'unstaffed',
    'alarms',
    'referrals',
    'overdue',
    'reopenedEarly',
    'deskOffline',
    'taken',
    'late',
    'calls',
    'answeredWithin',
    'abandoned',
    'waitP90',
    'unreferred',
    'answeredInRingsPct',
    'transferredCorrectlyPct',
  ].map((k) => t(k, varsOf(report)));
  const line = (f: Figures) => [
    f.unstaffedMinutes,
    f.alarms,
    f.referrals,
    f.overdue,
    f.reopenedEarly,
    f.deskOfflineMinutes,
    f.messagesTaken,
    f.messagesLate,
    f.calls,
    f.answeredWithin,
    f.abandoned,
    f.waitP90,
    f.unreferred,
    f.answeredInRingsPct,
    f.transferredCorrectlyPct,
  ];
  const reasons = report.reasons ?? [];
  // per person a private reason has no column at all (docs/recorder.md)
  const personReasons = reasons.filter((r) => !r.private);
  // a private reason hidden (a group too small) is no value, not a zero
  const byReason = (f: Figures, columns: ReasonColumn[]) =>
    columns.map((r) => (f.privateHidden && r.private ? null : (f.byReason[r.code] ?? 0)));
  table(
    'departments',
    [t('department'), ...cols, ...reasons.map((r) => r.label)],
    report.departments.map((d) => [
      nameOf(d.department),
      ...line(d.overall),
      ...byReason(d.overall, reasons),
    ]),
  );
  table(
    'alarms',
    [t('department'), t('alarms'), t('start'), t('minutes')],
    report.alarms.map((a) => [
      nameOf(a.department),
      a.kind === 'must-answer' ? t('kindMustAnswer') : t('kindAllAway'),
      when(a.startedAt),
      Math.round((a.endedAt - a.startedAt) / 6000) / 10,
    ]),
  );
  $('private-reasons').textContent = t('privateReasons', { k: report.minGroupSize ?? '' });
  $('people-section').hidden = !report.people;
  if (report.people)
    table(
      'people',
      [t('ext'), t('name'), t('department'), ...cols, ...personReasons.map((r) => r.label)],
      report.people.map((p) => [
        p.ext,
        report.personNames?.[p.ext] ?? '',
        nameOf(p.department),
        ...line(p.figures),
        ...byReason(p.figures, personReasons),
      ]),
    );
  const orgSelect = $('org');
  orgSelect.replaceChildren(
    ...(report.orgs ?? []).map((o) =>
      el('option', { value: o.id, ...(o.id === report.org ? { selected: '' } : {}) }, o.name),
    ),
  );
  const deptSelect = $('department');
  const chosen = params.get('department') ?? '';
  deptSelect.replaceChildren(
    el('option', { value: '' }, t('all')),
    ...Object.entries(names).map(([id, name]) =>
      el('option', { value: id, ...(id === chosen ? { selected: '' } : {}) }, name),
    ),
  );
}

async function load() {
  const status = $('status');
  status.textContent = t('loading');
  const q = query();
  $('csv', HTMLAnchorElement).href = `/api/stats.csv?${q}&lang=${lang}`;
  const res = await fetch(`/api/stats?${q}`, { headers: { Accept: 'application/json' } });
  if (!res.ok) {
    const body: { error?: string; code?: string } = await res.json().catch(() => ({}));
    // a refusal the page can name is said in its language; any other keeps the server's words
    status.textContent =
      res.status === 403
        ? t('forbidden')
        : body.code === 'from-after-to'
          ? t('fromAfterTo')
          : `${t('failed')}: ${body.error ?? res.status}`;
    status.dataset.state = 'error';
    return;
  }
  render(await res.json());
  fitToWindow();
  status.textContent = '';
  status.dataset.state = 'ready';
}

translate();
fillForm();
addEventListener('resize', fitToWindow);
load().catch((e: Error) => {
  $('status').textContent = `${t('failed')}: ${e.message}`;
  $('status').dataset.state = 'error';
});
