// The operator's controls in the detail panel: a referral on the person's behalf, and a phone message.
// Built when another person is opened (not every frame), so what the operator types survives deltas.
// A referral is not sent at once: it waits UNDO_MS with Undo (Esc) and Send now, so one slip of a
// click or key never changes someone's phone. The reasons are a toolbar with hotkeys (1-9, 0), the
// person's current reason pressed. Errors are sentences next to their field (errors.ts).
import type { ReasonDefinition } from '../../../protocol/index.js';
import type { WholeRow } from '../wire-rows.js';
import { DATE_FORMATS } from './dates.js';
import { button, field } from './elements.js';
import { type Checked, checkReferral } from './errors.js';
import {
  actionSection,
  attempt,
  clearErrors,
  type ErrorLines,
  errorLine,
  resultLine,
  showRefusal,
} from './form-parts.js';
import { forwardWarningText } from './forward-warning.js';
import { refreshHistory, renderHistory } from './history.js';
import { clearMessageForm, messageSection } from './message-form.js';
import { post, session } from './session.js';
import { catalogueOf, keyOf, state, t } from './state.js';
import { ICONS, reasonIcon } from './symbols.js';

/** how long a chosen referral waits for Undo before it is sent */
export const UNDO_MS = 5_000;

/** The open person's referral form: its controls, and the reasons its digits pick. */
interface ReferralControls {
  key: string;
  reasons: readonly ReasonDefinition[];
  toolbar: HTMLElement;
  until: HTMLInputElement;
  untilDate: HTMLInputElement;
  furtherNotice: HTMLInputElement;
  altForward: HTMLInputElement;
  altInfo: HTMLInputElement;
  note: HTMLInputElement;
  out: HTMLElement;
  errors: ErrorLines;
  /** under the forward field: the colleague is away too (forward-warning.ts) */
  forwardWarning: HTMLElement;
  pendingBox: HTMLElement;
}

/**
 * A reason chosen and waiting for Undo before it is sent. The body is read from the fields when it
 * goes out, not when the reason was clicked: the reasons stand above the fields, so operators click
 * the reason first and type the time while the countdown runs.
 */
interface Pending {
  key: string;
  org: string;
  path: string;
  reason: ReasonDefinition | null;
  label: string;
  timer: ReturnType<typeof setTimeout>;
  form: ReferralControls;
}

/** The open person's referral form (null for a viewer or with no details open). */
let form: ReferralControls | null = null;
/** The referral waiting for Undo. */
let pending: Pending | null = null;

/** What the form says now for `reason` (null: available), checked: the body to send or the refusal. */
function referralOf(reason: ReasonDefinition | null, f: ReferralControls, org: string): Checked {
  if (!reason) return { ok: true, body: { open: true } };
  return checkReferral(
    {
      reason,
      until: f.until.value,
      untilDate: f.untilDate.value,
      furtherNotice: f.furtherNotice.checked,
      altForward: f.altForward.value,
      altInfo: f.altInfo.value,
      note: f.note.value,
    },
    catalogueOf(org),
    state.lang,
  );
}

function send(): void {
  if (!pending) return;
  const p = pending;
  pending = null;
  clearTimeout(p.timer);
  drawPending();
  // the fields as they are now: a time typed during the countdown is part of the referral
  const checked = referralOf(p.reason, p.form, p.org);
  if (!checked.ok) {
    showRefusal(p.form.errors, p.form.out, checked);
    return;
  }
  attempt(
    p.form.out,
    async () => {
      await post(p.path, checked.body);
      for (const f of [p.form.until, p.form.untilDate, p.form.altForward, p.form.altInfo, p.form.note])
        f.value = '';
      p.form.furtherNotice.checked = false;
      refreshHistory(p.key);
    },
    p.form.errors,
  );
}

/** Drops the referral waiting to be sent; false when there is none. */
export function undo(): boolean {
  if (!pending) return false;
  clearTimeout(pending.timer);
  const { out } = pending.form;
  pending = null;
  out.dataset.state = 'undone';
  out.textContent = t().undone;
  drawPending();
  return true;
}

/**
 * A reason (or null: available) chosen: the fields checked now (a mistake is said at once), then it
 * waits for Undo; the same reason again sends it. The fields are read again when it goes out.
 */
function choose(reason: ReasonDefinition | null) {
  if (!form) return;
  const row = state.rows.get(form.key);
  if (!row) return;
  clearErrors(form.errors, form.out);
  const checked = referralOf(reason, form, row.org);
  if (!checked.ok) return showRefusal(form.errors, form.out, checked);
  const same = pending?.key === form.key && pending.reason?.code === reason?.code;
  if (same) return send();
  if (pending) clearTimeout(pending.timer); // another choice replaces the one waiting
  pending = {
    key: form.key,
    org: row.org,
    path: `/api/presence/${row.org}/${row.ext}`,
    reason,
    label: reason ? reason.labels[state.lang] : t().open,
    form,
    timer: setTimeout(send, UNDO_MS),
  };
  form.out.dataset.state = '';
  form.out.textContent = '';
  drawPending();
}

/** Typing in the form while its referral waits starts the wait again: a half-typed time never goes out. */
function waitAgain(): void {
  if (!pending || pending.form !== form) return;
  clearTimeout(pending.timer);
  pending.timer = setTimeout(send, UNDO_MS);
  // only the bar starts again: the box's words stay, so a screen reader is not told them per keystroke
  form.pendingBox.querySelector('.countdown')?.replaceWith(countdownBar());
}

/** Hotkeys: 1-9 the catalogue's reasons in order, 0 available. True when the key chose something. */
export function chooseByKey(key: string): boolean {
  if (!form || !/^[0-9]$/.test(key)) return false;
  const reason = key === '0' ? null : form.reasons[Number(key) - 1];
  if (reason === undefined) return false;
  choose(reason);
  return true;
}

/** The forward field's warning, as typed and as the colleague's state changes. */
function drawForwardWarning(f: ReferralControls, row: WholeRow): void {
  const text = forwardWarningText(row, f.altForward.value);
  if (f.forwardWarning.textContent !== text) f.forwardWarning.textContent = text;
  f.forwardWarning.hidden = !text;
}

/** The referral toolbar's current button, where Tab from the search lands. */
export function focusReasons(): boolean {
  if (!form) return false;
  const current =
    form.toolbar.querySelector<HTMLButtonElement>('[aria-pressed="true"]') ??
    form.toolbar.querySelector('button');
  current?.focus();
  return Boolean(current);
}

function drawPending(): void {
  if (!form) return;
  const box = form.pendingBox;
  box.textContent = '';
  const mine = pending?.key === form.key ? pending : null;
  box.hidden = !mine;
  for (const b of form.toolbar.querySelectorAll('button'))
    b.dataset.pending = String(Boolean(mine && b.dataset.code === (mine.reason?.code ?? '')));
  if (!mine) return;
  const h = t();
  const what = document.createElement('span');
  what.textContent = `${h.pending}: ${mine.label}`;
  box.append(
    what,
    button(`${h.undo} (Esc)`, 'act-undo', undo),
    button(h.sendNow, 'act-send', send),
    countdownBar(),
  );
}

/** The bar that empties while a referral waits for Undo. */
function countdownBar(): HTMLElement {
  const bar = document.createElement('i');
  bar.className = 'countdown';
  bar.style.animationDuration = `${UNDO_MS}ms`;
  return bar;
}

/** The current reason pressed, every frame (the row may change while the panel is open). */
function markCurrent(toolbar: HTMLElement, row: WholeRow): void {
  for (const b of toolbar.querySelectorAll('button')) {
    const code = b.dataset.code;
    const current = code ? row.status === 'away' && row.reason === code : row.status === 'available';
    b.setAttribute('aria-pressed', String(current));
    b.tabIndex = current ? 0 : -1;
  }
  const first = toolbar.querySelector('button');
  if (first && !toolbar.querySelector('[tabindex="0"]')) first.tabIndex = 0;
}

function reasonButton(
  code: string,
  digit: string,
  icon: string,
  label: string,
  onClick: () => void,
): HTMLButtonElement {
  const b = button('', `act-${code || 'open'}`, onClick);
  b.dataset.code = code;
  const kbd = document.createElement('kbd');
  kbd.textContent = digit;
  const ico = document.createElement('i');
  ico.className = 'ico';
  ico.dataset.reason = code;
  ico.setAttribute('aria-hidden', 'true');
  ico.textContent = icon;
  b.append(kbd, ico, label);
  b.setAttribute('aria-keyshortcuts', digit);
  return b;
}

type Texts = ReturnType<typeof t>;

function referralSection(row: WholeRow, h: Texts): HTMLElement {
  const referral = actionSection('act', h.setReferral);
  const reasons = catalogueOf(row.org).slice(0, 9);
  const toolbar = document.createElement('div');
  toolbar.className = 'reasons';
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', h.setReferral);
  reasons.forEach((r, i) => {
    const label = r.labels[state.lang];
    toolbar.append(reasonButton(r.code, String(i + 1), reasonIcon(r.code, label), label, () => choose(r)));
  });
  toolbar.append(reasonButton('', '0', ICONS.available, h.open, () => choose(null)));
  // ← → move between the reasons: the toolbar is one Tab stop
  toolbar.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const all = [...toolbar.querySelectorAll('button')];
    const i = all.indexOf(document.activeElement as HTMLButtonElement);
    all[(i + (e.key === 'ArrowRight' ? 1 : all.length - 1)) % all.length]?.focus();
    e.preventDefault();
  });
  // Text, not type=time: the same 24-hour HH:MM in every browser language, typed as 1530 or 15:30,
  // with no picker to trap the Tab key. The server reads it in the person's organisation's time zone.
  const until = document.createElement('input');
  until.inputMode = 'numeric';
  until.maxLength = 5;
  until.placeholder = h.untilHint;
  until.dataset.testid = 'act-until';
  // A date as well ("sick until Monday", "vacation until 7 January"); alone it means the start of that
  // working day (the server's rule). Text, not type=date, for the same reason as the time: a date
  // input writes the browser's locale (mm/dd/yyyy in an English browser on a Swedish page); this one
  // the page language's (dates.ts).
  const untilDate = document.createElement('input');
  untilDate.maxLength = 10;
  untilDate.placeholder = DATE_FORMATS[state.lang].hint;
  untilDate.dataset.testid = 'act-until-date';
  // The alternative answering point (SAMSA): forward to a colleague, or information for the operator.
  const altForward = document.createElement('input');
  altForward.inputMode = 'numeric';
  altForward.maxLength = 15;
  altForward.dataset.testid = 'act-alt-forward';
  const altInfo = document.createElement('input');
  altInfo.maxLength = 120;
  altInfo.dataset.testid = 'act-alt-info';
  const furtherNotice = document.createElement('input');
  furtherNotice.type = 'checkbox';
  furtherNotice.dataset.testid = 'act-further-notice';
  const note = document.createElement('input');
  note.maxLength = 80;
  note.dataset.testid = 'act-note';
  const out = resultLine('act-result');
  const untilFurtherNotice = errorLine('err-further-notice');
  const errors = {
    until: errorLine('err-until'),
    untilDate: errorLine('err-until-date'),
    untilFurtherNotice,
    alt: errorLine('err-alt'),
    reason: untilFurtherNotice,
  };
  const pendingBox = document.createElement('div');
  pendingBox.className = 'pending';
  pendingBox.dataset.testid = 'act-pending';
  pendingBox.setAttribute('aria-live', 'polite');
  pendingBox.hidden = true;
  for (const el of [untilDate, until, furtherNotice, altForward, altInfo, note]) {
    el.addEventListener('input', () => {
      clearErrors(errors, out);
      waitAgain();
    });
    // Enter in a field goes back to the reasons: type the time, Enter, then the reason's key
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        focusReasons();
      }
    });
  }
  const forwardWarning = errorLine('warn-alt-forward');
  forwardWarning.className = 'field-warning';
  altForward.addEventListener('input', () => {
    const current = state.rows.get(keyOf(row));
    if (form && current) drawForwardWarning(form, current);
  });
  const ufn = field(h.furtherNotice, furtherNotice);
  ufn.className = 'check';
  referral.append(
    toolbar,
    pendingBox,
    out,
    field(h.untilDate, untilDate),
    errors.untilDate,
    field(h.untilAt, until),
    errors.until,
    ufn,
    errors.untilFurtherNotice,
    field(h.altForward, altForward),
    forwardWarning,
    field(h.altInfo, altInfo),
    errors.alt,
    field(h.note, note),
  );
  form = {
    key: keyOf(row),
    reasons,
    toolbar,
    until,
    untilDate,
    furtherNotice,
    altForward,
    altInfo,
    note,
    out,
    errors,
    forwardWarning,
    pendingBox,
  };
  return referral;
}

let actionsKey = '';
/** Fills `box` with the controls for acting on the row's person; a viewer gets none. */
export function renderActions(row: WholeRow, box: HTMLElement): void {
  const key = session.role === 'operator' ? `${keyOf(row)}|${state.lang}` : '';
  if (key !== actionsKey) {
    actionsKey = key;
    box.textContent = '';
    form = null;
    clearMessageForm();
    if (!key) return;
    const h = t();
    box.append(referralSection(row, h), renderHistory(row), messageSection(row, h.takeMessage));
    drawPending();
  }
  if (form) {
    markCurrent(form.toolbar, row);
    drawForwardWarning(form, row);
    renderHistory(row);
  }
}
