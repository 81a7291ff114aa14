// The operator of a board in open access (no users file: every visitor is the demo operator): its
// writes carry the CSRF token the page reads from /api/session, as the page's own do.
export interface OpenOperator {
  post(path: string, body: unknown): Promise<Response>;
}

export async function openOperator(boardUrl: string): Promise<OpenOperator> {
  const session = await fetch(new URL('/api/session', boardUrl));
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  return {
    post: (path, body) =>
      fetch(new URL(path, boardUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify(body),
      }),
  };
}
