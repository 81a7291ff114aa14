// The board's words for a person's line and for a call that came to the switchboard (issue 22), in
// Swedish, Danish and English: a table of their own beside texts.ts, read through callText().
import type { Language } from '../../../protocol/languages.js';
import { state } from './state.js';

export const CALL_TEXT = {
  sv: {
    // what operators say of a busy colleague: "hon sitter i samtal"; a ringing phone "ringer"
    'in-call': 'i samtal',
    ringing: 'ringer',
    lineSince: 'sedan',
    line: 'Linjen',
    callFor: 'Samtal till {name}',
    cameHere: 'kom till växeln',
    unanswered: 'svarade inte',
    busy: 'upptaget',
    notices: 'Samtal till växeln',
    dismiss: 'Stäng',
  },
  da: {
    'in-call': 'i telefonen',
    ringing: 'ringer',
    lineSince: 'siden',
    line: 'Linjen',
    callFor: 'Opkald til {name}',
    cameHere: 'kom til omstillingen',
    unanswered: 'svarede ikke',
    busy: 'optaget',
    notices: 'Opkald til omstillingen',
    dismiss: 'Luk',
  },
  en: {
    'in-call': 'on the phone',
    ringing: 'ringing',
    lineSince: 'since',
    line: 'Line',
    callFor: 'Call for {name}',
    cameHere: 'came to the switchboard',
    unanswered: 'no answer',
    busy: 'busy',
    notices: 'Calls to the switchboard',
    dismiss: 'Dismiss',
  },
} satisfies Record<Language, Record<string, string>>;

export type CallTextKey = keyof (typeof CALL_TEXT)['sv'];

/** A text in the page's language, its {placeholders} filled. */
export const callText = (key: CallTextKey, vars: Record<string, string> = {}): string =>
  CALL_TEXT[state.lang][key].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
