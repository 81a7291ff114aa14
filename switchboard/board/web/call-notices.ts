// The live notice of a call the phone bridge routed to the switchboard (extcall/{ext}, `routed` with
// `to: switchboard`): "Samtal till Anna Ek — Lunch, tillbaka 13:00 — kom till växeln", so the operator
// can answer with the reason and return time before looking the person up (issue 22; Guldborgsund: "Besvares
// telefonen ikke og kommer tilbage til hovedomstillingen, kan omstillingen … se, hvornår pågældende er
// tilgængelig"). The server has already reduced a reason the session may not see to "away". The newest
// few stay until dismissed or a quarter of an hour old: a notice is what the operator needs now.
import type { ExtCallEvent } from '../../../protocol/index.js';
import { callText } from './call-texts.js';
import { clock, reasonLabel } from './format.js';
import { catalogueOf, keyOf, state, t, timeZoneOf } from './state.js';

/** How many notices show at once, and for how long. */
const MAX_NOTICES = 4;
const NOTICE_MS = 15 * 60_000;

let box: HTMLElement | undefined;
/** The notices' list, made once before the queues. */
function notices(): HTMLElement {
  if (box) return box;
  box = document.createElement('section');
  box.className = 'call-notices';
  box.dataset.testid = 'call-notices';
  box.setAttribute('aria-label', callText('notices'));
  // a notice is read out as it comes, without taking the operator's focus from the search
  box.setAttribute('aria-live', 'polite');
  document.querySelector('[data-testid="queues"]')?.before(box);
  return box;
}

/** Why the call came: the referral acted on, the desk that did not answer, or a busy line. */
function why(org: string, call: ExtCallEvent, now: number): string {
  if (call.cause === 'unanswered' || call.cause === 'busy') return callText(call.cause);
  if (!call.reason) return '';
  const label = reasonLabel(call.reason, state.lang, catalogueOf(org));
  const back = call.until
    ? `${t().back} ${clock(call.until, now, state.lang, timeZoneOf(org))}`
    : t().furtherNotice;
  return `${label}, ${back}`;
}

/** The notice's words, with the person's name as the board knows it. */
export function noticeText(org: string, ext: string, call: ExtCallEvent, now: number): string {
  const name = state.rows.get(keyOf({ org, ext }))?.name;
  const who = name ? `${name} (${ext})` : ext;
  return [callText('callFor', { name: who }), why(org, call, now), callText('cameHere')]
    .filter(Boolean)
    .join(' — ');
}

/** Shows a call routed to the switchboard; the oldest goes when more than a few are showing. */
export function addCallNotice(org: string, ext: string, call: ExtCallEvent): void {
  const list = notices();
  const now = Date.now();
  const item = document.createElement('p');
  item.className = 'call-notice';
  item.dataset.testid = 'call-notice';
  item.dataset.ext = ext;
  const time = document.createElement('time');
  time.dateTime = call.at;
  time.textContent = clock(call.at, now, state.lang, timeZoneOf(org));
  const text = document.createElement('span');
  text.textContent = noticeText(org, ext, call, now);
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'dismiss';
  close.textContent = '✕';
  close.setAttribute('aria-label', callText('dismiss'));
  close.addEventListener('click', () => item.remove());
  item.append(time, ' ', text, close);
  list.prepend(item);
  while (list.children.length > MAX_NOTICES) list.lastElementChild?.remove();
  setTimeout(() => item.remove(), NOTICE_MS);
}
