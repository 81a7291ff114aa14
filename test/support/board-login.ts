// A user logged in to a board over fetch, as the page is: the session cookie on every request and the
// CSRF token (from the JSON login answer or /api/session) on every write.
export interface BoardLogin {
  cookie: string;
  csrfToken: string;
  get(path: string): Promise<Response>;
  post(path: string, body: unknown): Promise<Response>;
}

/** A login from a session cookie (`hanvisa_session=...`): reads its CSRF token from /api/session. */
export async function withCookie(boardUrl: string, cookie: string): Promise<BoardLogin> {
  const res = await fetch(new URL('/api/session', boardUrl), { headers: { cookie } });
  if (res.status !== 200) throw new Error(`no session for that cookie: ${res.status}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    cookie,
    csrfToken,
    get: (path) => fetch(new URL(path, boardUrl), { headers: { cookie } }),
    post: (path, body) =>
      fetch(new URL(path, boardUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        body: JSON.stringify(body),
      }),
  };
}

/** Logs in with the users file's password (JSON login). */
export async function passwordLogin(
  boardUrl: string,
  username: string,
  password: string,
): Promise<BoardLogin> {
  const res = await fetch(new URL('/login', boardUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login of ${username} refused: ${res.status}`);
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('hanvisa_session='))
    ?.split(';')[0];
  if (!cookie) throw new Error('no session cookie');
  return withCookie(boardUrl, cookie);
}
