// Who is looking: the session decides which controls the page offers (the server checks every write
// again), signs the writes with its CSRF token, and shows in the header with a logout button.
import { $, button } from './elements.js';
import { t } from './state.js';

export const session = {
  role: 'viewer',
  username: '',
  name: '',
  ext: undefined,
  csrfToken: '',
  openAccess: false,
};

/** A write to the board: JSON with the session's CSRF token; a refusal's reason becomes the error. */
export async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({}));
  if (res.status === 401) location.href = '/login';
  if (!res.ok) throw new Error(answer.error ?? `${res.status}`);
  return answer;
}

export function renderUser() {
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
export async function loadSession() {
  const res = await fetch('/api/session');
  if (res.status === 401) {
    location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    return false;
  }
  Object.assign(session, await res.json());
  renderUser();
  return true;
}
