// The staff page (docs/staff.md): a person's own referral with one tap per reason, ± the org's step,
// another time, date or answering point, back again; their phone messages with "handled". It reads
// GET /api/me and writes through the board's own routes, which check that the extension is the
// person's own (access.ts); the return-time rules are the server's, the desk's (rules/referral.ts).
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from '../../../protocol/languages.js';
import { DATE_FORMATS } from '../../board/web/dates.js';
import { checkReferral, errorText, type Refusal } from '../../board/web/errors.js';
import { altText, clock, nextAbsenceText, returnText, stateOf, stateText } from '../../board/web/format.js';
import type { ManagerView } from '../manager-view.js';
import type { MyView } from '../my-view.js';
import { renderManager } from './manager.js';
import { offerPush } from './push.js';
import { STAFF_TEXT } from './texts.js';

const params = new URLSearchParams(location.search);
const asked = params.get('lang');
const lang: Language = isLanguage(asked) ? asked : DEFAULT_LANGUAGE;
const t = STAFF_TEXT[lang];
let csrfToken = '';
let role = '';
let me: MyView | undefined;

const $ = <T extends HTMLElement>(testid: string) => {
  const el = document.querySelector<T>(`[data-testid="${testid}"]`);
  if (!el) throw new Error(`missing ${testid}`);
  return el;
};

class Refused extends Error implements Refusal {
  constructor(
    readonly field: string,
    readonly code: string,
  ) {
    super(code);
  }
}

const login = () => {
  location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
};

async function send(path: string, body: unknown): Promise<void> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Refused('', 'network');
  }
  if (res.status === 401) return login();
  if (!res.ok) {
    const answer: { field?: string; code?: string } = await res.json().catch(() => ({}));
    throw new Refused(answer.field ?? '', answer.code ?? '');
  }
}

function showProblem(refusal: Refusal | undefined): void {
  const problem = $('problem');
  problem.hidden = !refusal;
  problem.textContent = refusal ? errorText(refusal, lang).text : '';
}

/** One action: sent, the page read again; a refusal said in the page's words, nothing changed. */
async function act(path: string, body: unknown): Promise<void> {
  try {
    await send(path, body);
    showProblem(undefined);
  } catch (e) {
    showProblem(e instanceof Refused ? e : { code: 'other' });
  }
  await load();
}

const presencePath = () => (me ? `/api/presence/${me.org}/${me.ext}` : '');

function renderState(view: MyView, now: number): void {
  const state = stateOf(view, now);
  const line = $('me-state');
  line.dataset.state = state;
  line.dataset.reason = view.reason ?? '';
  const back = returnText(view, now, lang, view.timeZone);
  line.textContent = [stateText(view, lang, view.reasons), back].filter(Boolean).join(', ');
  $('me-alt').textContent = view.status === 'away' ? altText(view.alt, lang) : '';
  // the calendar's next absence, still ahead (away now or not: the person plans by it)
  const next = nextAbsenceText(view.nextAbsence, now, lang, view.reasons, view.timeZone, true);
  const nextLine = $('me-next');
  nextLine.hidden = !next;
  nextLine.textContent = next ? `${t.nextAbsence}: ${next}` : '';
  const adjust = $('adjust');
  adjust.hidden = view.status !== 'away';
  const step = view.stepMinutes;
  const earlier = $<HTMLButtonElement>('earlier');
  const later = $<HTMLButtonElement>('later');
  earlier.textContent = t.earlier.replace('{n}', String(step));
  earlier.setAttribute('aria-label', t.earlierLabel.replace('{n}', String(step)));
  later.textContent = t.later.replace('{n}', String(step));
  later.setAttribute('aria-label', t.laterLabel.replace('{n}', String(step)));
  // ± moves a return time; "until further notice" has none to move
  earlier.hidden = later.hidden = view.until === null;
}

function renderReasons(view: MyView): void {
  const box = $('reasons');
  box.textContent = '';
  for (const reason of view.reasons) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = reason.labels[lang];
    b.dataset.testid = `reason-${reason.code}`;
    b.setAttribute('aria-pressed', String(view.status === 'away' && view.reason === reason.code));
    b.addEventListener('click', () => act(presencePath(), { reason: reason.code }));
    box.append(b);
  }
  const select = $<HTMLSelectElement>('more-reason');
  const chosen = select.value;
  select.textContent = '';
  for (const reason of view.reasons) select.append(new Option(reason.labels[lang], reason.code));
  select.value =
    chosen || (view.status === 'away' && view.reason ? view.reason : (view.reasons[0]?.code ?? ''));
}

function renderMessages(view: MyView, now: number): void {
  const list = $('messages');
  list.textContent = '';
  if (!view.messages.length) {
    const empty = document.createElement('li');
    empty.textContent = t.noMessages;
    list.append(empty);
    return;
  }
  for (const m of view.messages) {
    const li = document.createElement('li');
    li.dataset.testid = 'message';
    const who = document.createElement('b');
    who.textContent = [m.from, m.number].filter(Boolean).join(', ');
    const text = document.createElement('p');
    text.textContent = m.text;
    const meta = document.createElement('small');
    const by = m.callbackBy ? `${t.callbackBy} ${clock(m.callbackBy, now, lang, view.timeZone)} · ` : '';
    meta.textContent = `${by}${t.takenBy} ${m.takenBy}`;
    const done = document.createElement('button');
    done.type = 'button';
    done.textContent = t.handled;
    done.dataset.testid = 'handled';
    done.addEventListener('click', () =>
      act(`/api/messages/${view.org}/${view.ext}/${encodeURIComponent(m.id)}/handled`, {}),
    );
    li.append(who, text, meta, done);
    list.append(li);
  }
}

async function load(): Promise<void> {
  const res = await fetch('/api/me').catch(() => undefined);
  if (res?.status === 401) return login();
  if (!res?.ok) {
    if (res?.status === 404) $('me-state').textContent = t.notOnBoard;
    return;
  }
  me = (await res.json()) as MyView;
  const now = Date.now();
  $('me-name').textContent = me.name ? `${me.name} · ${me.ext}` : me.ext;
  renderState(me, now);
  renderReasons(me);
  renderMessages(me, now);
  if (role === 'manager') await loadManager(me);
}

/** A manager's departments: coverage, today's figures, the service level (manager.ts). */
async function loadManager(view: MyView): Promise<void> {
  const res = await fetch('/api/manager').catch(() => undefined);
  if (!res?.ok) return;
  const manager = (await res.json()) as ManagerView;
  renderManager($('manager'), manager, view.reasons, lang, (path, body) => act(path, body));
}

function wire(): void {
  document.documentElement.lang = lang;
  document.title = `hanvisa · ${t.title}`;
  for (const el of document.querySelectorAll<HTMLElement>('[data-text]')) {
    const key = el.dataset.text as keyof typeof t;
    el.textContent = t[key];
  }
  $<HTMLInputElement>('more-date').placeholder = DATE_FORMATS[lang].hint;
  const nav = $('langs');
  for (const l of LANGUAGES) {
    const item = document.createElement(l === lang ? 'span' : 'a');
    item.textContent = l;
    item.lang = l;
    if (item instanceof HTMLAnchorElement) item.href = `/staff/?lang=${l}`;
    else item.setAttribute('aria-current', 'true');
    nav.append(item);
  }
  $('earlier').addEventListener('click', () => move(-1));
  $('later').addEventListener('click', () => move(1));
  $('reopen').addEventListener('click', () => act(presencePath(), { open: true }));
  $('more-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const reason = me?.reasons.find((r) => r.code === $<HTMLSelectElement>('more-reason').value);
    if (!me || !reason) return;
    const checked = checkReferral(
      {
        reason,
        until: $<HTMLInputElement>('more-time').value,
        untilDate: $<HTMLInputElement>('more-date').value,
        furtherNotice: false,
        altForward: $<HTMLInputElement>('more-forward').value,
        altInfo: $<HTMLInputElement>('more-info').value,
        note: '',
      },
      me.reasons,
      lang,
    );
    if (!checked.ok) return showProblem(checked);
    void act(presencePath(), checked.body);
  });
}

/** ± one step from the current return time, the reason and answering point kept (the desk's ± keys). */
function move(direction: 1 | -1): void {
  if (!me?.until || !me.reason) return;
  const until = new Date(Date.parse(me.until) + direction * me.stepMinutes * 60_000).toISOString();
  void act(presencePath(), { reason: me.reason, until });
}

async function start(): Promise<void> {
  wire();
  const session = await fetch('/api/session').catch(() => undefined);
  if (!session?.ok) return login();
  ({ csrfToken, role } = (await session.json()) as { csrfToken: string; role: string });
  await load();
  // a change from the desk, the calendar or the switchboard shows when the person looks again
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void load();
  });
  setInterval(() => void load(), 30_000);
  // installable and ready for push (docs/staff.md): the worker's scope is this page's folder
  const worker = navigator.serviceWorker;
  const registration = worker
    ? worker.register('/staff/sw.js', { scope: '/staff/' }).then(() => worker.ready)
    : Promise.resolve(undefined);
  void offerPush($('staff-push'), lang, registration);
}

void start();
