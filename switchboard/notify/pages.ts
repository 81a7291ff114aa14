// The small pages the notifier's links open, in the organisation's language. A link's GET only shows
// what it will do and one button; the button's POST does it. Mail security scanners (Microsoft
// Defender's Safe Links, Proofpoint) open every link in a mail before the person does, so a GET that
// acted would mark a message handled that nobody has read.
import type { Language } from '../../protocol/index.js';
import { escapeHtml } from '../auth/login-page.js';

interface PageTexts {
  title: string;
  expired: string;
  forged: string;
  used: string;
  gone: string;
  done: string;
  failed: string;
  handledQuestion: (from: string) => string;
  handledButton: string;
  extendQuestion: (step: number) => string;
  extendButton: (step: number) => string;
}

export const PAGE_TEXTS: Record<Language, PageTexts> = {
  sv: {
    title: 'hanvisa',
    expired: 'Länken har gått ut.',
    forged: 'Länken är inte giltig.',
    used: 'Länken är redan använd.',
    gone: 'Det finns inget kvar att göra: det är redan klart.',
    done: 'Klart.',
    failed: 'Det gick inte just nu. Försök igen om en stund.',
    handledQuestion: (from) => `Markera telefonmeddelandet från ${from} som hanterat?`,
    handledButton: 'Hanterat',
    extendQuestion: (step) => `Förläng din hänvisning med ${step} minuter?`,
    extendButton: (step) => `Förläng ${step} min`,
  },
  da: {
    title: 'hanvisa',
    expired: 'Linket er udløbet.',
    forged: 'Linket er ikke gyldigt.',
    used: 'Linket er allerede brugt.',
    gone: 'Der er intet at gøre: det er allerede klaret.',
    done: 'Klaret.',
    failed: 'Det lykkedes ikke lige nu. Prøv igen om lidt.',
    handledQuestion: (from) => `Markér telefonbeskeden fra ${from} som klaret?`,
    handledButton: 'Klaret',
    extendQuestion: (step) => `Forlæng din omstilling med ${step} minutter?`,
    extendButton: (step) => `Forlæng ${step} min`,
  },
  en: {
    title: 'hanvisa',
    expired: 'The link has expired.',
    forged: 'The link is not valid.',
    used: 'The link has already been used.',
    gone: 'Nothing left to do: it is already done.',
    done: 'Done.',
    failed: 'That did not work just now. Please try again in a moment.',
    handledQuestion: (from) => `Mark the phone message from ${from} handled?`,
    handledButton: 'Handled',
    extendQuestion: (step) => `Extend your referral by ${step} minutes?`,
    extendButton: (step) => `Extend ${step} min`,
  },
};

/** A page with one sentence and, when given, the one button that does what the link is for. */
export function page(
  language: Language,
  sentence: string,
  button?: { label: string; token: string; action: string },
): string {
  const form = button
    ? `<form method="post" action="${escapeHtml(button.action)}"><input type="hidden" name="t" value="${escapeHtml(button.token)}"><button type="submit">${escapeHtml(button.label)}</button></form>`
    : '';
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${PAGE_TEXTS[language].title}</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;margin:2rem auto;max-width:32rem;padding:0 1rem}button{font:inherit;padding:.8rem 1.6rem}</style>
</head><body><p>${escapeHtml(sentence)}</p>${form}</body></html>
`;
}
