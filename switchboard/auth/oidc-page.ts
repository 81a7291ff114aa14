// The page a refused or failed OIDC login shows: what happened in the person's words and a way on.
// No script, the login page's stylesheet; Swedish, Danish and English like every page.
import type { Language } from '../../protocol/languages.js';
import { authPage, escapeHtml } from './login-page.js';

export type OidcProblem = 'no-role' | 'failed' | 'down';

const TEXT = {
  sv: {
    title: 'Inloggningen misslyckades – hanvisa',
    'no-role': 'Ditt konto har ingen behörighet i hanvisa. Be IT att lägga till dig i rätt grupp.',
    failed: 'Inloggningen med kommunens konto kunde inte slutföras. Försök igen.',
    down: 'Kommunens inloggning svarar inte just nu. Försök igen om en stund.',
    again: 'Logga in igen',
  },
  da: {
    title: 'Login mislykkedes – hanvisa',
    'no-role': 'Din konto har ingen adgang til hanvisa. Bed IT om at tilføje dig til den rigtige gruppe.',
    failed: 'Login med kommunens konto kunne ikke gennemføres. Prøv igen.',
    down: 'Kommunens login svarer ikke lige nu. Prøv igen om lidt.',
    again: 'Log ind igen',
  },
  en: {
    title: 'Login failed – hanvisa',
    'no-role': 'Your account has no access to hanvisa. Ask IT to add you to the right group.',
    failed: "The login with the municipality's account could not be completed. Please try again.",
    down: "The municipality's login is not answering right now. Please try again shortly.",
    again: 'Log in again',
  },
} as const satisfies Record<Language, Record<OidcProblem | 'title' | 'again', string>>;

export function oidcProblemPage(lang: Language, problem: OidcProblem, next: string): string {
  const t = TEXT[lang];
  return authPage(
    lang,
    t.title,
    `<p class="problem" role="alert" id="problem" data-problem="${problem}">${escapeHtml(t[problem])}</p>
<p><a href="/login/oidc?next=${encodeURIComponent(next)}">${t.again}</a></p>`,
  );
}
