// Who is looking: the session decides which controls the page offers (the server checks every write
// again), signs the writes with its CSRF token, and shows in the header with a logout button.
import { $, button } from './elements.js';
import type { Refusal } from './errors.js';
import { t } from './state.js';

/** Who is looking, as GET /api/session answers. */
export interface PageSession {
  role: 'operator' | 'viewer' | 'it' | 'staff' | 'manager';
  username: string;
  name: string;
  ext: string | undefined;
  csrfToken: string;
  openAccess: boolean;
}

export const session: PageSession = {
  role: 'viewer',
  username: '',
  name: '',
  ext: undefined,
  csrfToken: '',
  openAccess: false,
};

/** A refusal as the page words it (errors.ts): the server's field and code, not its text. */
class Refused extends Error implements Refusal {
  constructor(
    message: string,
    readonly field: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** A write to the board: JSON with the session's CSRF token; a refusal throws its field and code. */
export async function post(path: string, body: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Refused('network', '', 'network');
  }
  const answer: { error?: string; field?: string; code?: string } = await res.json().catch(() => ({}));
  if (res.status === 401) location.href = '/login';
  if (!res.ok) throw new Refused(answer.error ?? `${res.status}`, answer.field ?? '', answer.code ?? '');
  return answer;
}

/** A read for the session (the audit), as the route answers it; null when it cannot be had. */
export async function get<T>(path: string): Promise<T | null> {
  try {
    const res = await fetch(path);
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

export function renderUser(): void {
  const box = $('[data-testid="user"]');
  box.textContent = '';
  if (!session.username) return;
  const h = t();
  if (session.openAccess) {
    box.textContent = h.openAccess;
    box.dataset.open = 'true';
    return;
  }
  const who = document.createElement('span');
  who.textContent = session.name;
  who.title = `${session.username} (${session.role})`;
  // A fetch, not a form: the board's CSP allows no form submissions at all.
  const out = button(h.logout, 'logout', () =>
    fetch('/logout', { method: 'POST', headers: { 'x-csrf-token': session.csrfToken } }).finally(() => {
      location.href = '/login';
    }),
  );
  box.append(who, out);
}

/** Loads the session; no session means the login page (and false). */
export async function loadSession(): Promise<boolean> {
  const res = await fetch('/api/session');
  if (res.status === 401) {
    location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    return false;
  }
  Object.assign(session, await res.json());
  renderUser();
  return true;
}
