// The login page: plain HTML and a stylesheet, no script at all, so it runs under the strictest CSP
// and works with keyboard only. Swedish, Danish and English, like the board.

import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from '../../protocol/languages.js';

export type Lang = Language;

const TEXT = {
  sv: {
    title: 'Logga in – hanvisa',
    heading: 'Logga in på växeln',
    username: 'Användarnamn',
    password: 'Lösenord',
    submit: 'Logga in',
    failed: 'Fel användarnamn eller lösenord.',
    limited: 'För många misslyckade försök. Försök igen om {m} min.',
    expired: 'Sidan hade hunnit bli för gammal. Försök igen.',
  },
  da: {
    title: 'Log ind – hanvisa',
    heading: 'Log ind på omstillingen',
    username: 'Brugernavn',
    password: 'Adgangskode',
    submit: 'Log ind',
    failed: 'Forkert brugernavn eller adgangskode.',
    limited: 'For mange mislykkede forsøg. Prøv igen om {m} min.',
    expired: 'Siden var blevet for gammel. Prøv igen.',
  },
  en: {
    title: 'Log in – hanvisa',
    heading: 'Log in to the switchboard',
    username: 'Username',
    password: 'Password',
    submit: 'Log in',
    failed: 'Wrong username or password.',
    limited: 'Too many failed attempts. Try again in {m} min.',
    expired: 'The page had grown too old. Please try again.',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type LoginProblem =
  | { kind: 'failed' }
  | { kind: 'limited'; retryAfterSeconds: number }
  | { kind: 'expired' };

/**
 * The language: ?lang= first, then the board's own (?lang= on the page the login returns to), then a
 * Nordic Accept-Language, then Swedish, as the board. English only when asked for: a browser set to
 * English would otherwise log a Swedish operator in to a Swedish board in English.
 */
export function pickLang(
  query: string | null,
  acceptLanguage: string | undefined,
  next?: string | null,
): Lang {
  const board =
    next && URL.canParse(next, 'http://board.invalid')
      ? new URL(next, 'http://board.invalid').searchParams.get('lang')
      : null;
  for (const asked of [query, board]) if (isLanguage(asked)) return asked;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().slice(0, 2).toLowerCase();
    if (tag === 'sv' || tag === 'da') return tag;
    if (tag === 'nb' || tag === 'no') return 'da';
  }
  return DEFAULT_LANGUAGE;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

export function loginPage(options: {
  lang: Lang;
  csrfToken: string;
  next: string;
  /** the users file's page beside the municipality's login (/login?local=1) */
  local?: boolean;
  username?: string;
  problem?: LoginProblem;
}): string {
  const t = TEXT[options.lang];
  const problem = options.problem;
  const message =
    problem?.kind === 'limited'
      ? t.limited.replace('{m}', String(Math.max(1, Math.ceil(problem.retryAfterSeconds / 60))))
      : problem
        ? t[problem.kind]
        : '';
  const langs = LANGUAGES.map((l) =>
    l === options.lang
      ? `<span aria-current="true">${l}</span>`
      : `<a href="/login?lang=${l}${options.local ? '&amp;local=1' : ''}&amp;next=${encodeURIComponent(options.next)}" hreflang="${l}" lang="${l}">${l}</a>`,
  ).join(' ');
  return authPage(
    options.lang,
    t.title,
    `<h1>${t.heading}</h1>
${message ? `<p class="problem" role="alert" id="problem">${escapeHtml(message)}</p>` : ''}
<form method="post" action="/login?lang=${options.lang}">
<input type="hidden" name="csrf" value="${escapeHtml(options.csrfToken)}">
<input type="hidden" name="next" value="${escapeHtml(options.next)}">
<label for="username">${t.username}</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64"${
      options.username ? ` value="${escapeHtml(options.username)}"` : ' autofocus'
    }>
<label for="password">${t.password}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${
      options.username ? ' autofocus' : ''
    }>
<button type="submit">${t.submit}</button>
</form>
<nav class="langs">${langs}</nav>`,
  );
}

/** The login pages' one frame (password and provider pages alike): a small centred main on /login.css. */
export function authPage(lang: string, title: string, main: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/login.css">
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
}

export const LOGIN_CSS = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
main { width: min(22rem, 90vw); }
h1 { font-size: 1.3rem; }
form { display: grid; gap: 0.4rem; }
input, button { font: inherit; padding: 0.5rem; }
button { margin-top: 0.8rem; cursor: pointer; }
.problem { border-left: 4px solid #c0392b; padding: 0.4rem 0.6rem; background: color-mix(in srgb, #c0392b 12%, Canvas); }
.langs { margin-top: 1rem; display: flex; gap: 0.6rem; font-size: 0.9rem; }
`;
