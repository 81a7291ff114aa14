// What the board's forms share: a line under a field for what is wrong with it, a refusal's sentence
// next to its field (errors.ts), a write attempted with its outcome said aloud (aria-live), a headed
// section of controls. The referral form (acting.ts), the message form (message-form.ts) and the
// department referral (department-acting.ts) are built from these.
import { errorText, type Refusal } from './errors.js';
import { state, t } from './state.js';

/** The lines under a form's fields, by the field a refusal names. */
export type ErrorLines = Record<string, HTMLElement>;

/** A line under a field for what is wrong with it; hidden while nothing is. */
export function errorLine(testid: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.className = 'field-error';
  p.dataset.testid = testid;
  p.setAttribute('aria-live', 'polite');
  p.hidden = true;
  return p;
}

export function clearErrors(errors: ErrorLines, out: HTMLElement): void {
  for (const line of Object.values(errors)) {
    line.hidden = true;
    line.textContent = '';
  }
  if (out.dataset.state === 'error') {
    out.dataset.state = '';
    out.textContent = '';
  }
}

/** Refusals that say the board or its broker was out of reach: stale once the connection is back. */
const OUTAGE_CODES = new Set(['broker-down', 'network']);

/** Clears the "no contact" sentences: the connection is back, so they no longer hold (stream.ts). */
export function clearOutageErrors(): void {
  for (const out of document.querySelectorAll<HTMLElement>('.result[data-outage]')) {
    delete out.dataset.outage;
    out.dataset.state = '';
    out.textContent = '';
  }
}

/** The refusal's sentence next to its field, or in `out` when it is about the whole form. */
export function showRefusal(errors: ErrorLines, out: HTMLElement, refusal: Refusal): void {
  const { field: name, text } = errorText(refusal, state.lang);
  const line = errors[name];
  if (line) {
    line.textContent = text;
    line.hidden = false;
    out.dataset.state = '';
    out.textContent = '';
  } else {
    out.dataset.state = 'error';
    out.textContent = text;
    if (OUTAGE_CODES.has(refusal.code ?? '')) out.dataset.outage = 'true';
  }
}

/** Runs a write and says how it went in `out` (aria-live, so a screen reader hears it too). */
export function attempt(out: HTMLElement, run: () => Promise<unknown>, errors: ErrorLines = {}): void {
  clearErrors(errors, out);
  delete out.dataset.outage;
  out.dataset.state = 'busy';
  out.textContent = '…';
  run().then(
    () => {
      out.dataset.state = 'ok';
      out.textContent = t().saved;
    },
    (e: Refusal) => showRefusal(errors, out, e),
  );
}

/** A headed section of controls. */
export function actionSection(testid: string, heading: string): HTMLElement {
  const section = document.createElement('section');
  section.className = 'actions';
  section.dataset.testid = testid;
  const title = document.createElement('h3');
  title.textContent = heading;
  section.append(title);
  return section;
}

/** Where `attempt` says how a write went. */
export function resultLine(testid: string): HTMLParagraphElement {
  const out = document.createElement('p');
  out.className = 'result';
  out.dataset.testid = testid;
  out.setAttribute('aria-live', 'polite');
  return out;
}
