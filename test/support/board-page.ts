// What the board's page tests share: presences as a desk publishes them at a pinned time, an operator
// and a viewer to log in as (through the login page), and tabbing to a control with the keyboard only.
import type { Browser, Page } from 'playwright-core';
import type { OrgInfo, Presence } from '../../protocol/index.js';
import { hashPassword, type User } from '../../switchboard/auth/index.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Away since 20 minutes before `now`, back at `until` (null: until further notice). */
export function awayAt(
  now: number,
  seq: number,
  reason: string,
  until: number | null,
  extra: Partial<Presence> = {},
): Presence {
  return {
    v: 1,
    status: 'away',
    reason,
    since: iso(now - 20 * 60_000),
    until: until === null ? null : iso(until),
    alt: null,
    seq,
    by: { kind: 'desk', id: 'desk' },
    at: iso(now),
    ...extra,
  };
}

/** A Swedish municipality's directory/org: Stockholm time, 08-17, overdue, callbacks the same day. */
export const swedishOrg = (name: string, extra: Partial<OrgInfo> = {}): OrgInfo => ({
  v: 1,
  name,
  timeZone: 'Europe/Stockholm',
  locale: 'sv',
  workday: { from: '08:00', to: '17:00' },
  onReturn: 'overdue',
  callback: 'same-day',
  ...extra,
});

export function availableAt(now: number, seq: number): Presence {
  return { ...awayAt(now, seq, 'lunch', null), status: 'available', reason: null };
}

const CHEAP = { N: 1024, r: 8, p: 1 };

/** olle, an operator of every organisation, and vera, a viewer (a wall screen) of `viewerOrgs`. */
export async function boardUsers(viewerOrgs: User['orgs']): Promise<User[]> {
  return [
    {
      username: 'olle',
      name: 'Olle Växel',
      role: 'operator',
      orgs: '*',
      passwordHash: await hashPassword('olle-password', CHEAP),
    },
    {
      username: 'vera',
      name: 'Väggskärm',
      role: 'viewer',
      orgs: viewerOrgs,
      passwordHash: await hashPassword('vera-password', CHEAP),
    },
  ];
}

/** Logs in through the login page (password: the username + "-password") and waits for the live board. */
export async function logIn(page: Page, boardUrl: string, username: string): Promise<void> {
  await page.goto(boardUrl);
  await page.fill('#username', username);
  await page.fill('#password', `${username}-password`);
  await Promise.all([page.waitForURL(boardUrl), page.press('#password', 'Enter')]);
  await page.locator('[data-testid="conn"][data-state="live"]').waitFor();
}

/** Tab (or Shift+Tab, back up the page) until the control with this test id has the focus. */
export async function tabTo(page: Page, testid: string, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testid))
      return;
    await page.keyboard.press(key);
  }
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
  throw new Error(`never reached ${testid} with Tab (stuck at ${focused})`);
}

/**
 * A page in a context of its own (Swedish locale: the time field takes 24-hour HH:MM as an operator
 * here types it) whose script errors and CSP violations land in `problems`, for the test to fail on;
 * the 401s of a failed login are expected. Close it with `page.context().close()`.
 */
export async function watchedPage(
  browser: Browser,
  problems: string[],
  viewport = { width: 1440, height: 800 },
  timeoutMs = 10_000,
): Promise<Page> {
  const context = await browser.newContext({ locale: 'sv-SE', viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return page;
}
