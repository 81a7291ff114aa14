// What the operator reads when a write cannot be made: a short sentence in the board's language, next
// to the field it is about. The page checks what it can before sending (checkReferral, checkMessage);
// the server's refusals carry a field and a code (docs/board.md) that map to the same sentences, so
// no server wording (English, zod's) ever reaches the operator. Pure: tested in Node.
import type { ReasonDefinition } from '../../../protocol/index.js';
import type { Language } from '../../../protocol/languages.js';
import { readDate } from './dates.js';

const SENTENCES: Record<Language, Record<string, string>> = {
  sv: {
    'until.format': 'Skriv tiden som 1530 eller 15:30.',
    'until.passed': 'Den tiden har redan passerat.',
    'untilDate.format': 'Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2027-01-12.',
    'alt.format': 'Skriv anknytningen med siffror, t.ex. 2102.',
    'alt.own-extension': 'Det är personens egen anknytning: välj en kollega.',
    'alt.switchboard': 'Det går inte att hänvisa till växeln: välj en kollega eller en orsak.',
    'alt.away': 'Kollegan är själv borta: välj någon som är inne.',
    'untilFurtherNotice.return-required': 'Orsaken behöver en återkomsttid: skriv en tid.',
    'reason.unknown': 'Orsaken finns inte längre i organisationens lista.',
    'from.required': 'Skriv vem som ringde.',
    'text.required': 'Skriv meddelandet.',
    'from.too-long': 'Namnet är för långt.',
    'number.too-long': 'Numret är för långt.',
    'text.too-long': 'Meddelandet är för långt.',
    'note.too-long': 'Noteringen är för lång.',
    'messages.full': 'Personen har för många meddelanden: markera några som hanterade först.',
    'ext.unknown': 'Personen finns inte längre på tavlan.',
    'id.unknown': 'Meddelandet är redan hanterat.',
    forbidden: 'Du får inte göra det här.',
    'broker-down': 'Tavlan har ingen kontakt med brokern: inget ändrades. Försök igen.',
    network: 'Ingen kontakt med tavlan: inget ändrades. Försök igen.',
    other: 'Det gick inte att spara. Försök igen.',
  },
  da: {
    'until.format': 'Skriv tiden som 1530 eller 15:30.',
    'until.passed': 'Det tidspunkt er allerede passeret.',
    'untilDate.format': 'Skriv datoen som DD-MM-ÅÅÅÅ, f.eks. 12-01-2027.',
    'alt.format': 'Skriv lokalnummeret med cifre, f.eks. 2102.',
    'alt.own-extension': 'Det er personens eget lokalnummer: vælg en kollega.',
    'alt.switchboard': 'Der kan ikke omstilles til omstillingen: vælg en kollega eller en årsag.',
    'alt.away': 'Kollegaen er selv væk: vælg en, der er inde.',
    'untilFurtherNotice.return-required': 'Årsagen kræver et tidspunkt: skriv et klokkeslæt.',
    'reason.unknown': 'Årsagen findes ikke længere i organisationens liste.',
    'from.required': 'Skriv hvem der ringede.',
    'text.required': 'Skriv beskeden.',
    'from.too-long': 'Navnet er for langt.',
    'number.too-long': 'Nummeret er for langt.',
    'text.too-long': 'Beskeden er for lang.',
    'note.too-long': 'Noten er for lang.',
    'messages.full': 'Personen har for mange beskeder: markér nogle som håndteret først.',
    'ext.unknown': 'Personen findes ikke længere på tavlen.',
    'id.unknown': 'Beskeden er allerede håndteret.',
    forbidden: 'Du må ikke gøre dette.',
    'broker-down': 'Tavlen har ingen forbindelse til brokeren: intet blev ændret. Prøv igen.',
    network: 'Ingen forbindelse til tavlen: intet blev ændret. Prøv igen.',
    other: 'Det kunne ikke gemmes. Prøv igen.',
  },
  en: {
    'until.format': 'Type the time as 1530 or 15:30.',
    'until.passed': 'That time has already passed.',
    'untilDate.format': 'Type the date as YYYY-MM-DD, e.g. 2027-01-12.',
    'alt.format': 'Type the extension in digits, e.g. 2102.',
    'alt.own-extension': "That is the person's own extension: choose a colleague.",
    'alt.switchboard': 'A referral to the switchboard is not allowed: choose a colleague or a reason.',
    'alt.away': 'The colleague is away too: choose someone who is in.',
    'untilFurtherNotice.return-required': 'This reason needs a return time: type one.',
    'reason.unknown': "The reason is no longer in the organisation's list.",
    'from.required': 'Type who called.',
    'text.required': 'Type the message.',
    'from.too-long': 'The name is too long.',
    'number.too-long': 'The number is too long.',
    'text.too-long': 'The message is too long.',
    'note.too-long': 'The note is too long.',
    'messages.full': 'This person has too many messages: mark some handled first.',
    'ext.unknown': 'This person is no longer on the board.',
    'id.unknown': 'The message was already handled.',
    forbidden: 'You may not do this.',
    'broker-down': 'The board has lost the broker: nothing was changed. Try again.',
    network: 'The board cannot be reached: nothing was changed. Try again.',
    other: 'That could not be saved. Try again.',
  },
};

/** What a refusal names: the field it is about and why (the server's answer, or a check's here). */
export interface Refusal {
  field?: string;
  code?: string;
}

/** A form's body ready to send, or the refusal a check found. */
export type Checked =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; field: string; code: string };

/**
 * The sentence for a refusal `{field, code}` (from the server or a check here) and the field it goes
 * next to ('' when it is about the whole form). Anything unknown is the general sentence.
 */
export function errorText(refusal: Refusal | undefined, lang: Language): { field: string; text: string } {
  const texts = SENTENCES[lang] ?? SENTENCES.en;
  const field = refusal?.field ?? '';
  const own = texts[`${field}.${refusal?.code}`];
  if (own) return { field, text: own };
  return { field: '', text: texts[refusal?.code ?? ''] ?? texts.other ?? '' };
}

/** "1530", "930", "9.30", "15:30" → "15:30"; null when it is not a time of day. */
export function hhmm(text: string): string | null {
  const m = /^(\d{1,2})[:.]?(\d{2})$/.exec(text.trim());
  const [, h, min] = m ?? [];
  if (h === undefined || min === undefined || Number(h) > 23 || Number(min) > 59) return null;
  return `${h.padStart(2, '0')}:${min}`;
}

/** The referral form's fields as typed. */
export interface ReferralForm {
  reason: ReasonDefinition;
  until: string;
  /** the date field as typed, in the page's language's way (dates.ts); '' or absent: none */
  untilDate?: string;
  furtherNotice: boolean;
  altForward?: string;
  altInfo?: string;
  note: string;
}

/**
 * What the referral form would send, checked as the server would: `{ok, body}` or `{ok: false, field,
 * code}`. `lang` is the page's: the date is read the way it writes dates.
 */
export function checkReferral(
  {
    reason,
    until,
    untilDate: typedDate = '',
    furtherNotice,
    altForward = '',
    altInfo = '',
    note,
  }: ReferralForm,
  catalogue: readonly ReasonDefinition[],
  lang: Language,
): Checked {
  const body: Record<string, unknown> = { reason: reason.code };
  const untilDate = readDate(typedDate, lang);
  if (untilDate === null) return { ok: false, field: 'untilDate', code: 'format' };
  if (furtherNotice) {
    if (reason.returnRequired) return { ok: false, field: 'untilFurtherNotice', code: 'return-required' };
    body.untilFurtherNotice = true;
  } else if (until.trim() || untilDate) {
    // a date alone is the start of that working day; a time alone the next such time (the server's rules)
    const time = until.trim() ? hhmm(until) : '';
    if (time === null) return { ok: false, field: 'until', code: 'format' };
    body.until = untilDate ? `${untilDate}${time ? ` ${time}` : ''}` : time;
  }
  // the alternative answering point: forward to an extension, or information for the operator
  if (altForward.trim()) {
    if (!/^[0-9]{1,15}$/.test(altForward.trim())) return { ok: false, field: 'alt', code: 'format' };
    body.alt = { kind: 'forward', to: altForward.trim() };
  } else if (altInfo.trim()) body.alt = { kind: 'info', text: altInfo.trim() };
  if (!catalogue.some((r) => r.code === reason.code)) return { ok: false, field: 'reason', code: 'unknown' };
  if (note.trim()) body.note = note.trim();
  return { ok: true, body };
}

/** A phone message as the server checks it. */
export function checkMessage({
  from,
  number,
  text,
}: {
  from: string;
  number: string;
  text: string;
}): Checked {
  if (!from.trim()) return { ok: false, field: 'from', code: 'required' };
  if (!text.trim()) return { ok: false, field: 'text', code: 'required' };
  const body: Record<string, unknown> = { from: from.trim(), text: text.trim() };
  if (number.trim()) body.number = number.trim();
  return { ok: true, body };
}
