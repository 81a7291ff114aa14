// What a new user does after `npm start`: open the board, follow a desk's link, press Lunch on the
// virtual desk, and watch the board change; log in to the staff page with a printed demo login; see
// calls and next absences on the board — the whole site in one process, in headless Chromium.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type Site, startSite } from '../../demo/site.js';
import { DEMO_STAFF_PASSWORD } from '../../demo/staff-users.js';
import { DEMO_PEOPLE } from '../../switchboard/simulator/scenario.js';
import { launchChromium } from '../support/browser.js';

let site: Site;
let browser: Browser;

beforeAll(async () => {
  site = await startSite({ brokerPort: 0, boardPort: 0, desksPort: 0, staffPort: 0, desks: 3 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

it('every demo person has a known state within seconds: a desk, or the simulated calendar', async () => {
  await vi.waitFor(
    () => {
      for (const p of DEMO_PEOPLE) expect(site.board.model.row('demo', p.ext)?.status, p.ext).not.toBeNull();
    },
    { timeout: 5000, interval: 50 },
  );
  // the desks show online on their assigned extensions (the demo's IT pushes their configs)
  await vi.waitFor(() => {
    for (const ext of site.agents.keys()) expect(site.board.model.row('demo', ext)?.online, ext).toBe(true);
  });
  // the three with a desk set their own; the calendar never writes for them
  for (const p of DEMO_PEOPLE) {
    const kind = site.board.model.currentPresence('demo', p.ext)?.by.kind;
    expect(kind, p.ext).toBe(site.agents.has(p.ext) ? 'desk' : 'calendar');
  }
});

it('a key pressed on a virtual desk appears on the board without reload', async () => {
  const board = await browser.newPage({ viewport: { width: 1440, height: 800 } });
  const errors: string[] = [];
  board.on('pageerror', (e) => errors.push(e.message));
  await board.goto(site.boardUrl);
  await board.locator('[data-testid="conn"][data-state="live"]').waitFor();
  const row = board.locator('[data-testid="row"][data-ext="2001"]');
  await expect.poll(() => row.getAttribute('data-state')).toBe('available');

  // The board links each person to their virtual desk, in their details (a row holds no link: it is
  // an option of the list, which may contain no control of its own).
  await board.getByTestId('search').fill('2001');
  await board.keyboard.press('Enter');
  const link = board.getByTestId('detail').locator(`a[href="${site.desksUrl}/desk/2001"]`);
  expect(await link.count()).toBe(1);
  await board.keyboard.press('Escape');

  const desk = await browser.newPage();
  await desk.goto(`${site.desksUrl}/desk/2001`);
  await desk.locator('button[data-key="1"]').click(); // Lunch in the default layout

  await expect.poll(() => row.getAttribute('data-state')).toBe('away');
  expect(await row.locator('.label').textContent()).toBe('Lunch');
  expect(await row.getByTestId('back').textContent()).toMatch(/^tillbaka \d\d:\d\d$/);
  // and the desk's own lunch LED is lit
  await expect.poll(() => desk.locator('#led-1').getAttribute('class')).toBe('led on');

  mkdirSync('test-results', { recursive: true });
  await board.screenshot({ path: 'test-results/site-board.png' });
  await desk.screenshot({ path: 'test-results/site-desk.png' });
  expect(errors).toEqual([]);
});

it("serves the staff page: a desk's person logs in with the printed password, refers, and the board and desk follow", async () => {
  expect(site.staffUsers.map((u) => [u.username, u.ext, u.role])).toEqual([
    ['anna', '2001', 'staff'],
    ['erik', '2002', 'staff'],
    ['maria', '2003', 'manager'], // Teamledare: her department's coverage and figures below her own
  ]);
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL('/staff/', site.staffUrl).href);
  await page.fill('#username', 'erik');
  await page.fill('#password', DEMO_STAFF_PASSWORD);
  await Promise.all([page.waitForURL(/\/staff\/$/), page.press('#password', 'Enter')]);
  await page.getByTestId('reason-meeting').click();
  await page.locator('[data-testid="me-state"][data-reason="meeting"]').waitFor();
  // the operators' (open) board and Erik's own desk agent take it
  await vi.waitFor(() => expect(site.board.model.row('demo', '2002')?.reason).toBe('meeting'));
  await vi.waitFor(() => expect(site.agents.get('2002')?.presence?.reason).toBe('meeting'));
  await page.getByTestId('reopen').click();
  await page.locator('[data-testid="me-state"][data-state="available"]').waitFor();
  // the operators' board is not behind these logins, and a staff login does not open it
  expect((await fetch(site.boardUrl)).status).toBe(200);
  await page.close();
  expect(errors).toEqual([]);
});

it("shows calls to people and the calendar's next absences on the demo board (issues 22, 27)", async () => {
  const notices: string[] = [];
  const stop = site.board.model.listen((d) => {
    if (d.type === 'call') notices.push(d.ext);
  });
  try {
    // the first call comes 3 s after the start: a phone rings, or it came to the switchboard
    await vi.waitFor(
      () => {
        const lines = DEMO_PEOPLE.filter((p) => site.board.model.row('demo', p.ext)?.line);
        expect(lines.length + notices.length).toBeGreaterThan(0);
      },
      { timeout: 30_000, interval: 100 },
    );
  } finally {
    stop();
  }
  const next = DEMO_PEOPLE.filter((p) => site.board.model.row('demo', p.ext)?.nextAbsence);
  expect(next.length).toBeGreaterThan(0);
  for (const p of next) expect(site.agents.has(p.ext), p.ext).toBe(false); // the calendar's people
});
