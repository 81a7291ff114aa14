// The legend under the board (what each symbol and colour means), the hint beside it, and the help
// overlay on "?" or the hint (the keyboard shortcuts, then the same legend). Each symbol has one
// meaning (symbols.ts).
import { $, button, input } from './elements.js';
import { session } from './session.js';
import { catalogueOf, state, t } from './state.js';
import { ICONS, reasonIcon } from './symbols.js';

const help = $('[data-testid="help"]');
// Beside the legend, not in it: the legend scrolls sideways below 2560 px (and is hidden on a phone),
// and took its last entry, the hint, out of sight with it. A button, so a mouse or a finger opens the
// help too.
const hint = $('[data-testid="help-hint"]');

/** One legend entry: the symbol in its colour, then what it means. */
function entry(icon: string, kind: string, text: string, reason?: string): HTMLSpanElement {
  const item = document.createElement('span');
  item.className = 'entry';
  const ico = document.createElement('i');
  ico.className = `ico ${kind}`;
  if (reason) ico.dataset.reason = reason;
  ico.textContent = icon;
  item.append(ico, ` ${text}`);
  return item;
}

function legendEntries(): HTMLSpanElement[] {
  const h = t();
  const org = state.orgs.keys().next().value;
  const reasons = org ? catalogueOf(org) : state.reasons;
  return [
    entry(ICONS.available, 'available', h.available),
    ...reasons.map((r) =>
      entry(reasonIcon(r.code, r.labels[state.lang]), 'away', r.labels[state.lang], r.code),
    ),
    entry(ICONS.unknown, 'unknown', h.unknown),
    entry('!', 'overdue', h.legendOverdue),
    entry(ICONS.messages, 'msg', h.messages),
    entry(ICONS.voicemail, 'vm', h.voicemail),
    entry(ICONS.calls, 'calls', h.legendCalls),
    entry(ICONS.deviceWarning, 'warn', h.deviceWarnings),
  ];
}

let legendKey = '';
/** Redrawn only when the language or the catalogue changes. */
export function renderLegend(): void {
  const org = state.orgs.keys().next().value;
  const key = `${state.lang}|${JSON.stringify(org ? catalogueOf(org) : state.reasons)}|${session.openAccess}`;
  if (key === legendKey) return;
  legendKey = key;
  const h = t();
  const legend = $('[data-testid="legend"]');
  legend.textContent = '';
  const title = document.createElement('b');
  title.textContent = `${h.legend}:`;
  legend.append(title, ...legendEntries());
  hint.textContent = h.helpHint;
  const note = $('[data-testid="open-note"]');
  note.hidden = !session.openAccess;
  note.textContent = session.openAccess ? h.openAccessWhy : '';
  if (!help.hidden) fillHelp();
}

function fillHelp(): void {
  const h = t();
  help.textContent = '';
  const box = document.createElement('div');
  box.className = 'help-box';
  const title = document.createElement('h2');
  title.id = 'help-title'; // the dialog's name (index.html)
  title.textContent = h.help;
  const close = button(`${h.helpClose} (Esc)`, 'help-close', () => toggleHelp(false));
  close.className = 'close';
  const dl = document.createElement('dl');
  for (const [keys, what] of [
    ['a–ö', h.keyType],
    ['↑ ↓ PgUp PgDn', h.keyArrows],
    ['Enter', h.keyEnter],
    ['Tab', h.keyTab],
    ['1–9, 0', h.keyDigits],
    ['Alt+M', h.keyMessage],
    ['Esc', h.keyEsc],
    ['?', h.keyHelp],
  ] as const) {
    const dt = document.createElement('dt');
    const kbd = document.createElement('kbd');
    kbd.textContent = keys;
    dt.append(kbd);
    const dd = document.createElement('dd');
    dd.textContent = what;
    dl.append(dt, dd);
  }
  const legendTitle = document.createElement('h3');
  legendTitle.textContent = h.legend;
  const legend = document.createElement('p');
  legend.className = 'legend';
  legend.append(...legendEntries());
  box.append(close, title, dl, legendTitle, legend);
  help.append(box);
}

export const helpOpen = () => !help.hidden;

/** Shows or hides the overlay; the focus moves into it (a modal dialog), and back to the search. */
export function toggleHelp(open = help.hidden): void {
  help.hidden = !open;
  if (open) {
    fillHelp();
    help.querySelector<HTMLButtonElement>('[data-testid="help-close"]')?.focus();
  } else input.focus();
}

hint.addEventListener('click', () => toggleHelp(true));

// Its one control keeps the focus while it is open: Tab never walks the page behind a modal dialog.
help.addEventListener('keydown', (e) => {
  if (e.key === 'Tab') e.preventDefault();
});

help.addEventListener('mousedown', (e) => {
  if (e.target === help) toggleHelp(false);
});
