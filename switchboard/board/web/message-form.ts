// The detail panel's phone message form (Guldborgsund: electronic phone messages; the callback deadline
// is the server's rule): who called, their number, the message; Alt+M lands in its first field.
import type { WholeRow } from '../wire-rows.js';
import { button, field } from './elements.js';
import { checkMessage } from './errors.js';
import { actionSection, attempt, clearErrors, errorLine, resultLine, showRefusal } from './form-parts.js';
import { post } from './session.js';
import { t } from './state.js';

/** The open person's message form's first field, where Alt+M lands (null with no form). */
let messageFrom: HTMLInputElement | null = null;

/** Alt+M: the message form's first field (a viewer has none). */
export function focusMessage(): void {
  messageFrom?.focus();
}

/** The form is gone (another person, a viewer). */
export function clearMessageForm(): void {
  messageFrom = null;
}

export function messageSection(row: WholeRow, heading: string): HTMLElement {
  const h = t();
  const message = actionSection('msg', heading);
  const shortcut = document.createElement('kbd');
  shortcut.textContent = 'Alt+M';
  message.querySelector('h3')?.append(' ', shortcut);
  const from = document.createElement('input');
  from.maxLength = 120;
  from.dataset.testid = 'msg-from';
  from.setAttribute('aria-keyshortcuts', 'Alt+M');
  messageFrom = from;
  const number = document.createElement('input');
  number.maxLength = 32;
  number.inputMode = 'tel';
  number.dataset.testid = 'msg-number';
  const text = document.createElement('textarea');
  text.maxLength = 1000;
  text.rows = 3;
  text.dataset.testid = 'msg-text';
  const mOut = resultLine('msg-result');
  const textError = errorLine('err-text');
  const errors = {
    from: errorLine('err-from'),
    number: errorLine('err-number'),
    text: textError,
    messages: textError,
  };
  for (const el of [from, number, text]) el.addEventListener('input', () => clearErrors(errors, mOut));
  const save = button(h.saveMessage, 'msg-save', () => {
    clearErrors(errors, mOut);
    const checked = checkMessage({ from: from.value, number: number.value, text: text.value });
    if (!checked.ok) return showRefusal(errors, mOut, checked);
    attempt(
      mOut,
      async () => {
        await post(`/api/messages/${row.org}/${row.ext}`, checked.body);
        from.value = '';
        number.value = '';
        text.value = '';
      },
      errors,
    );
  });
  message.append(
    field(h.from, from),
    errors.from,
    field(h.number, number),
    errors.number,
    field(h.text, text),
    errors.text,
    save,
    mOut,
  );
  return message;
}
