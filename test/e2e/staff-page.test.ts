// The staff page in headless Chromium, on a phone (390×844, touch) and a desktop, against real parts:
// Mosquitto, the board with a users list, a desk agent on a virtual panel at the person's extension.
// A person with no key panel refers their own phone from the page (SAMSA §4.4: "via webben eller
// mobilappen"), sees the operator's board and their desk's lamp follow, moves the return time by the
// org's step, comes back; handles a phone message; sees their next calendar absence; the page passes axe-core (WCAG 2.1 AA) and is an
// installable app (manifest, service worker).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import mqtt from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuth, hashPassword } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { publishMessage } from '../../switchboard/publish.js';
import { openStorage } from '../../switchboard/recorder/storage/open.js';
import type { Storage } from '../../switchboard/recorder/storage/port.js';
import { passwordLogin } from '../support/board-login.js';
import { boardUsers, logIn } from '../support/board-page.js';
import { launchChromium } from '../support/browser.js';
import { type DemoDesk, startDemoDesk } from '../support/demo-desk.js';

const ORG = 'demo';
const EXT = '2101';
const LUNCH_LED = 1; // DEFAULT_LAYOUT: LED 0 is "available", 1-8 lunch, meeting, out, sick, ...
const AVAILABLE_LED = 0;
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

let desk: DemoDesk;
let board: Board;
let browser: Browser;
let storage: Storage;
let dir: string;
const problems: string[] = [];
const CHEAP = { N: 1024, r: 8, p: 1 };

beforeAll(async () => {
  [desk, dir] = await Promise.all([startDemoDesk(ORG, EXT), mkdtemp(join(tmpdir(), 'hanvisa-staff-e2e-'))]);
  storage = await openStorage(join(dir, 'record.db'));
  const users = [
    ...(await boardUsers('*')),
    {
      username: 'per',
      name: 'Per Personal',
      role: 'staff' as const,
      orgs: [ORG],
      ext: EXT,
      passwordHash: await hashPassword('per-password', CHEAP),
    },
    {
      username: 'sofia',
      name: 'Sofia Enhetschef',
      role: 'manager' as const,
      orgs: [ORG],
      ext: '2103',
      departments: ['socialtjanst'],
      passwordHash: await hashPassword('sofia-password', CHEAP),
    },
  ];
  board = await startBoard({
    brokerUrl: desk.mosquitto.url,
    port: 0,
    orgs: [ORG],
    auth: createAuth({ users }),
    stats: { storage },
  });
  await vi.waitFor(() => expect(board.model.row(ORG, EXT)?.status).toBe('available'), { timeout: 5000 });
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await board?.close();
  await storage?.close();
  await desk?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A context as the device, with the person logged in through the login page onto /staff/. */
async function staffPage(
  device: (typeof PHONE | typeof DESKTOP) & { colorScheme?: 'light' | 'dark' },
  username = 'per',
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ locale: 'sv-SE', ...device });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  await page.goto(new URL('/staff/', board.url).href);
  await page.fill('#username', username);
  await page.fill('#password', `${username}-password`);
  await Promise.all([page.waitForURL(/\/staff\/$/), page.press('#password', 'Enter')]);
  // the person's view is in once their reasons are drawn
  await page.locator('[data-testid="reasons"] button').first().waitFor();
  return { page, context };
}

const state = (page: Page) => page.getByTestId('me-state');

describe('the staff page', () => {
  it('on a phone: one tap refers, the board and the desk lamp follow, ± moves the time, back again', async () => {
    const { page, context } = await staffPage(PHONE);
    // the operator's board, open beside it
    const operator = await browser.newPage();
    await logIn(operator, board.url, 'olle');
    const row = operator.locator(`[data-testid="row"][data-ext="${EXT}"]`);
    try {
      await page.getByTestId('reason-lunch').tap();
      await page.locator('[data-testid="me-state"][data-state="away"][data-reason="lunch"]').waitFor();
      expect(board.model.currentPresence(ORG, EXT)?.by).toEqual({ kind: 'desk', id: 'web:per' });
      await desk.panel.waitForFrame(
        (f) => f[LUNCH_LED]?.pattern === 'on' && f[AVAILABLE_LED]?.pattern === 'off',
      );
      await row.filter({ hasText: 'Lunch' }).waitFor();
      // + one step (the org's 15 min) from the return time the lunch key gave
      const before = board.model.row(ORG, EXT)?.until ?? '';
      await page.getByTestId('later').tap();
      await vi.waitFor(() =>
        expect(Date.parse(board.model.row(ORG, EXT)?.until ?? '')).toBe(Date.parse(before) + 15 * 60_000),
      );
      await expect.poll(() => state(page).textContent()).toContain('tillbaka');
      await page.getByTestId('reopen').tap();
      await page.locator('[data-testid="me-state"][data-state="available"]').waitFor();
      await desk.panel.waitForFrame(
        (f) => f[AVAILABLE_LED]?.pattern === 'on' && f[LUNCH_LED]?.pattern === 'off',
      );
      await row.filter({ hasText: 'Tillgänglig' }).waitFor();
    } finally {
      await operator.close();
      await context.close();
    }
    expect(problems).toEqual([]);
  });

  it('on a desktop: another return date and a forward to a colleague; a refused time said in words', async () => {
    const { page, context } = await staffPage(DESKTOP);
    try {
      await page.locator('summary').click();
      await page.getByTestId('more-reason').selectOption('meeting');
      await page.getByTestId('more-time').fill('25:99');
      await page.getByTestId('more-submit').click();
      await expect.poll(() => page.getByTestId('problem').textContent()).toContain('15:30');
      await page.getByTestId('more-time').fill('');
      // a week on (within the 24.8 days a Node timer holds: see the report on the agent's wake timer)
      const date = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
      await page.getByTestId('more-date').fill(date);
      await page.getByTestId('more-forward').fill('2102');
      await page.getByTestId('more-submit').click();
      await page.locator('[data-testid="me-state"][data-reason="meeting"]').waitFor();
      const row = board.model.row(ORG, EXT);
      expect(row?.alt).toEqual({ kind: 'forward', to: '2102' });
      // the start of that working day, or of the next one after a weekend
      const back = Date.parse(row?.until ?? '') - Date.parse(date);
      expect(back).toBeGreaterThan(0);
      expect(back).toBeLessThan(4 * 86_400_000);
      await expect.poll(() => page.getByTestId('me-alt').textContent()).toContain('2102');
      await page.getByTestId('reopen').click();
      await page.locator('[data-testid="me-state"][data-state="available"]').waitFor();
    } finally {
      await context.close();
    }
    expect(problems).toEqual([]);
  });

  it('lists my phone message and marks it handled', async () => {
    const olle = await passwordLogin(board.url, 'olle', 'olle-password');
    expect(
      (await olle.post(`/api/messages/${ORG}/${EXT}`, { from: 'Lena Holm', text: 'Ring om bygglovet' }))
        .status,
    ).toBe(201);
    const { page, context } = await staffPage(PHONE);
    try {
      await page.getByTestId('message').filter({ hasText: 'Ring om bygglovet' }).waitFor();
      await page.getByTestId('handled').tap();
      await page.getByTestId('message').waitFor({ state: 'detached' });
      expect(board.model.row(ORG, EXT)?.phoneMessages ?? []).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows my next calendar absence, with its return, from /api/me (issue 27), in Swedish and Danish', async () => {
    // on a quarter hour an hour ahead, the calendar bridge's `next`, 90 minutes long
    const from = Math.ceil((Date.now() + 3_600_000) / 900_000) * 900_000;
    const next = {
      from: new Date(from).toISOString(),
      to: new Date(from + 90 * 60_000).toISOString(),
      reason: 'meeting',
    };
    const calendar = await mqtt.connectAsync(desk.mosquitto.url, { protocolVersion: 4 });
    const at = new Date().toISOString();
    await publishMessage(calendar, {
      kind: 'calendar-status',
      org: ORG,
      ext: EXT,
      body: { v: 1, ok: true, at, lastGood: at, failures: 0, next },
    });
    await calendar.endAsync();
    await vi.waitFor(() => expect(board.model.row(ORG, EXT)?.nextAbsence).toEqual(next));
    const per = await passwordLogin(board.url, 'per', 'per-password');
    expect(((await (await per.get('/api/me')).json()) as { nextAbsence: unknown }).nextAbsence).toEqual(next);

    const hhmm = (iso: string) =>
      new Intl.DateTimeFormat('sv-SE', {
        timeZone: 'Europe/Stockholm',
        hour: '2-digit',
        minute: '2-digit',
      }).format(Date.parse(iso));
    const { page, context } = await staffPage(PHONE);
    try {
      const line = page.getByTestId('me-next');
      await expect
        .poll(() => line.textContent())
        .toContain('Nästa frånvaro i min kalender: Sammanträde från');
      expect(await line.textContent()).toContain(hhmm(next.from));
      expect(await line.textContent()).toContain(`tillbaka ${hhmm(next.to)}`);
      await page.goto(new URL('/staff/?lang=da', board.url).href);
      await expect.poll(() => line.textContent()).toContain('Næste fravær i min kalender');
    } finally {
      await context.close();
    }
    expect(problems).toEqual([]);
  });

  it.each(['light', 'dark'] as const)(
    'passes axe-core (WCAG 2.1 AA) on a phone, away with the form open (%s)',
    async (scheme) => {
      const { page, context } = await staffPage({ ...PHONE, colorScheme: scheme });
      try {
        await page.getByTestId('reason-meeting').tap();
        await page.locator('[data-testid="me-state"][data-state="away"]').waitFor();
        await page.locator('summary').tap();
        const { violations } = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
          .analyze();
        const bad = violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => v.id);
        expect(bad).toEqual([]);
        const landmarks = await new AxeBuilder({ page }).withRules(['region', 'landmark-one-main']).analyze();
        expect(landmarks.violations.map((v) => v.id)).toEqual([]);
        await page.getByTestId('reopen').tap();
      } finally {
        await context.close();
      }
    },
  );

  it('speaks Danish and English too', async () => {
    const { page, context } = await staffPage(DESKTOP);
    try {
      for (const [lang, back] of [
        ['da', 'Jeg er tilbage'],
        ['en', "I'm back"],
      ] as const) {
        await page.goto(new URL(`/staff/?lang=${lang}`, board.url).href);
        await page.locator('[data-testid="reasons"] button').first().waitFor();
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        expect(await page.getByTestId('reopen').textContent()).toBe(back);
      }
    } finally {
      await context.close();
    }
  });

  it('is an installable app: its manifest, and a service worker for /staff/', async () => {
    const { page, context } = await staffPage(PHONE);
    try {
      const manifest = await page.evaluate(async () => {
        const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
        return (await fetch(link?.href ?? '')).json();
      });
      expect(manifest).toMatchObject({ start_url: '/staff/', scope: '/staff/', display: 'standalone' });
      const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
      expect(new URL(scope).pathname).toBe('/staff/');
      // a board that names no notifier offers no reminders (docs/staff.md, "Push")
      expect((await page.request.get(new URL('/api/me/push', board.url).href)).status()).toBe(404);
      expect(await page.getByTestId('staff-push').isHidden()).toBe(true);
    } finally {
      await context.close();
    }
    expect(problems).toEqual([]);
  });

  it("shows a manager their department's coverage and today's figures, and keeps the target they set", async () => {
    const observer = await mqtt.connectAsync(desk.mosquitto.url, { protocolVersion: 4 });
    const topic = `hanvisa/v1/${ORG}/board/service-level/socialtjanst`;
    const published = new Promise<unknown>((resolve) => {
      observer.on('message', (t, payload) => {
        if (t === topic && payload.length) resolve(JSON.parse(payload.toString()));
      });
    });
    await observer.subscribeAsync(topic, { qos: 1 });
    const { page, context } = await staffPage(DESKTOP, 'sofia');
    try {
      // only Karin (2101) has a desk that reported: one of the three in socialtjänst is in
      const coverage = page.getByTestId('coverage-socialtjanst');
      await expect.poll(() => coverage.getAttribute('data-available')).toBe('1');
      expect(await page.getByTestId('answered-socialtjanst').textContent()).toContain('Inga samtal');
      await page.getByTestId('target-percent-socialtjanst').fill('80');
      await page.getByTestId('target-unstaffed-socialtjanst').fill('30');
      await page.getByTestId('target-save-socialtjanst').click();
      expect(await published).toMatchObject({
        v: 1,
        answeredWithinPercent: 80,
        maxUnstaffedMinutes: 30,
        setBy: 'sofia',
      });
      await expect.poll(() => page.getByTestId('answered-socialtjanst').textContent()).toContain('mål 80 %');
      const { violations } = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      expect(
        violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
      ).toEqual([]);
    } finally {
      await context.close();
      await observer.endAsync();
    }
    expect(problems).toEqual([]);
  });
});
