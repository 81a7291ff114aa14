// WCAG 2.1 AA (EN 301 549, which Swedish public-sector services must meet), checked by axe-core in
// headless Chromium on every page and state an operator or a staff member meets: no violation of
// impact serious or critical. The pages are one table; a new page or state is one line in VIEWS (the
// staff page and the manager's view through the demo's staff logins; staff-page.test.ts checks more of
// their states). Then the operator's main tasks with the keyboard alone (WCAG 2.1.1): find, refer with
// a return time, undo, a phone message taken and handled, the department panel.
import { AxeBuilder } from '@axe-core/playwright';
import type { Result } from 'axe-core';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Site, startSite } from '../../demo/site.js';
import { DEMO_STAFF_PASSWORD } from '../../demo/staff-users.js';
import { createAuth } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { publishMessage } from '../../switchboard/publish.js';
import { DEMO_PEOPLE } from '../../switchboard/simulator/scenario.js';
import { boardUsers, logIn, tabTo } from '../support/board-page.js';
import { launchChromium } from '../support/browser.js';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const EXT = '2001'; // a demo person with a virtual desk

let site: Site;
let login: Board;
let browser: Browser;

beforeAll(async () => {
  site = await startSite({ brokerPort: 0, boardPort: 0, desksPort: 0, staffPort: 0, desks: 3 });
  // the same board behind a login, for the login page
  login = await startBoard({
    brokerUrl: site.brokerUrl,
    port: 0,
    orgs: ['demo'],
    auth: createAuth({ users: await boardUsers('*') }),
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await login?.close();
  await site?.close();
});

/** The board, live, with its people listed. */
async function board(page: Page): Promise<void> {
  await page.goto(site.boardUrl);
  await page.locator('[data-testid="conn"][data-state="live"]').waitFor();
  await page.locator(`[data-testid="row"][data-ext="${EXT}"]`).waitFor();
}

/** The board with a person's details open (found and opened with the keyboard). */
async function details(page: Page): Promise<void> {
  await board(page);
  await page.keyboard.type(EXT);
  await page.keyboard.press('Enter');
  await page.getByTestId('detail-name').waitFor();
}

/** One page or state to check: how to get there, on which screen and colour scheme (default light). */
interface View {
  name: string;
  open(page: Page): Promise<void>;
  colorScheme?: 'dark';
  viewport?: { width: number; height: number };
}

const PHONE = { width: 390, height: 844 };

const desksIndex = async (page: Page) => {
  await page.goto(site.desksUrl);
  await page.locator('a[href^="/desk/"]').first().waitFor();
};
const deskPage = async (page: Page) => {
  await page.goto(`${site.desksUrl}/desk/${EXT}`);
  await page.locator('button[data-key="0"]').waitFor();
};

/** The demo's staff page, logged in as one of its printed staff logins. */
const staffLogin = async (page: Page, username: string) => {
  await page.goto(new URL('/staff/', site.staffUrl).href);
  await page.fill('#username', username);
  await page.fill('#password', DEMO_STAFF_PASSWORD);
  await Promise.all([page.waitForURL(/\/staff\/$/), page.press('#password', 'Enter')]);
  await page.locator('[data-testid="reasons"] button').first().waitFor();
};

const VIEWS: View[] = [
  { name: 'board list', open: board },
  { name: "a row's details", open: details },
  { name: "a row's details on a phone", open: details, viewport: PHONE },
  {
    name: 'the board for a viewer (a wall screen, no controls)',
    open: async (page) => {
      await logIn(page, login.url, 'vera');
      await page.locator(`[data-testid="row"][data-ext="${EXT}"]`).waitFor();
    },
  },
  {
    name: 'a busy line on a row and a call that came to the switchboard',
    open: async (page) => {
      await details(page);
      const client = await mqtt.connectAsync(site.brokerUrl, { protocolVersion: 4, reconnectPeriod: 0 });
      const at = new Date().toISOString();
      await publishMessage(client, {
        kind: 'line',
        org: 'demo',
        ext: EXT,
        body: { v: 1, state: 'in-call', since: at },
      });
      await publishMessage(client, {
        kind: 'ext-call',
        org: 'demo',
        ext: '2002',
        body: { v: 1, id: 'a11y-1', call: 'a11y@x', event: 'routed', at, to: 'switchboard', cause: 'busy' },
      });
      await client.endAsync();
      await page.getByTestId('call-notice').waitFor();
      await page.locator(`[data-testid="row"][data-ext="${EXT}"] [data-testid="line"]`).waitFor();
    },
  },
  {
    name: 'the department panel',
    open: async (page) => {
      await board(page);
      await page.getByTestId('department').first().click();
      await page.getByTestId('dept-panel-name').waitFor();
    },
  },
  {
    name: 'the help dialog',
    open: async (page) => {
      await board(page);
      await page.keyboard.type('?');
      await page.getByTestId('help').locator('h2').waitFor();
    },
  },
  {
    name: 'acting: a referral waiting for Undo, a field error',
    open: async (page) => {
      await details(page);
      await page.getByTestId('act-until').fill('25:99');
      await page.getByTestId('act-lunch').click();
      await page.getByTestId('err-until').waitFor();
      await page.getByTestId('act-until').fill('1530');
      await page.getByTestId('act-lunch').click();
      await page.getByTestId('act-undo').waitFor();
    },
  },
  {
    name: 'acting: a phone message refused, then taken and listed',
    open: async (page) => {
      await details(page);
      await page.getByTestId('msg-save').click();
      await page.getByTestId('err-from').waitFor();
      await page.getByTestId('msg-from').fill('Lena Holm');
      await page.getByTestId('msg-text').fill('Ring om bygglovet');
      await page.getByTestId('msg-save').click();
      await page.getByTestId('msg-handled').first().waitFor();
    },
  },
  {
    name: 'the staff page on a phone, away',
    viewport: PHONE,
    open: async (page) => {
      await staffLogin(page, 'anna');
      await page.getByTestId('reason-meeting').click();
      await page.locator('[data-testid="me-state"][data-state="away"]').waitFor();
    },
  },
  {
    name: "the staff page with the manager's view (dark)",
    colorScheme: 'dark',
    open: async (page) => {
      await staffLogin(page, 'maria');
      await page.locator('[data-testid="manager"]:not([hidden])').waitFor();
    },
  },
  {
    name: 'the login page',
    open: async (page) => {
      await page.goto(login.url);
      await page.locator('#username').waitFor();
    },
  },
  {
    name: 'the login page, refused',
    open: async (page) => {
      await page.goto(login.url);
      await page.fill('#username', 'olle');
      await page.fill('#password', 'wrong');
      await page.press('#password', 'Enter');
      await page.locator('#problem').waitFor();
    },
  },
  {
    name: 'the statistics page, a question refused',
    open: async (page) => {
      await page.goto(`${site.boardUrl}stats?org=demo&from=2026-12-03&to=2026-12-01`);
      await page.locator('[data-testid="status"][data-state="error"]').waitFor();
    },
  },
  {
    name: 'the statistics page with data',
    open: async (page) => {
      await page.goto(`${site.boardUrl}stats`);
      await page.locator('[data-testid="status"][data-state="ready"]').waitFor({ state: 'attached' });
      await page.locator('[data-testid="departments"] tr').first().waitFor();
    },
  },
  { name: 'the virtual desks index', open: desksIndex },
  { name: 'the virtual desks index, dark', open: desksIndex, colorScheme: 'dark' },
  { name: 'a desk page', open: deskPage },
  { name: 'a desk page, dark', open: deskPage, colorScheme: 'dark' },
];

/** Violations as lines of rule, impact and where, for the next person to fix. */
const lines = (violations: Result[]) =>
  violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

describe('WCAG 2.1 AA by axe-core, in Chromium: no serious or critical violation', () => {
  for (const view of VIEWS)
    it(view.name, async () => {
      const context = await browser.newContext({
        locale: 'sv-SE',
        viewport: view.viewport ?? { width: 1280, height: 800 },
        colorScheme: view.colorScheme ?? 'light',
      });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        await view.open(page);
        const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
        const bad = lines(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'));
        expect(bad, `${view.name}:\n${bad.join('\n')}`).toEqual([]);
        // and every part of the page in a landmark, one main (axe files these under best practice)
        const landmarks = lines(
          (await new AxeBuilder({ page }).withRules(['region', 'landmark-one-main']).analyze()).violations,
        );
        expect(landmarks, `${view.name}:\n${landmarks.join('\n')}`).toEqual([]);
      } finally {
        await context.close();
      }
    });
});

describe("keyboard only: the operator's main tasks", () => {
  // each test its own person with a desk: the table above took messages for EXT
  const maria = DEMO_PEOPLE.find((p) => p.ext === '2003');
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
  /** The digit that picks a reason in the open details (its button's shortcut). */
  const digitOf = async (page: Page, code: string) =>
    (await page.getByTestId(`act-${code}`).getAttribute('aria-keyshortcuts')) ?? '';
  const localTime = (iso: string) =>
    new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', timeStyle: 'short' }).format(
      new Date(iso),
    );

  async function keyboardPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'sv-SE', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  it('finds a person by name, refers them with a return time, takes a message and marks it handled', async () => {
    const page = await keyboardPage();
    try {
      await board(page);
      await page.keyboard.type(maria?.name ?? '');
      // the focus stays in the search, which tells a screen reader the row it selected
      await expect
        .poll(() =>
          page.evaluate(() => {
            const id = document.activeElement?.getAttribute('aria-activedescendant');
            return id ? document.getElementById(id)?.dataset.ext : undefined;
          }),
        )
        .toBe(maria?.ext);
      await page.keyboard.press('Enter');
      expect(await page.getByTestId('detail-name').textContent()).toBe(maria?.name);
      // the return time, Enter back to the reasons, the reason's digit; the same digit again sends it now
      await tabTo(page, 'act-until');
      await page.keyboard.type('1530');
      await page.keyboard.press('Enter');
      expect(await focused(page)).toMatch(/^act-/);
      const meeting = await digitOf(page, 'meeting');
      await page.keyboard.press(meeting);
      await page.getByTestId('act-pending').waitFor();
      await page.keyboard.press(meeting);
      await expect
        .poll(() => site.board.model.currentPresence('demo', '2003')?.reason, { timeout: 10_000 })
        .toBe('meeting');
      expect(localTime(site.board.model.currentPresence('demo', '2003')?.until ?? '')).toBe('15:30');
      // a phone message: each field by Tab, saved with Enter
      await tabTo(page, 'msg-from');
      await page.keyboard.type('Lena Holm');
      await tabTo(page, 'msg-text');
      await page.keyboard.type('Ring om bygglovet');
      await tabTo(page, 'msg-save');
      await page.keyboard.press('Enter');
      const messages = page.getByTestId('detail-messages');
      await expect.poll(() => messages.textContent()).toContain('Ring om bygglovet');
      // and handled: open messages come first in the details, so back up to it with Shift+Tab
      await tabTo(page, 'msg-handled', 'Shift+Tab');
      await page.keyboard.press('Enter');
      await messages.waitFor({ state: 'detached' });
    } finally {
      await page.context().close();
    }
  });

  it('opens the department panel from the search, walks its people with the arrows, and closes it with Esc', async () => {
    const page = await keyboardPage();
    try {
      await board(page);
      await page.keyboard.type('kontaktcenter');
      await page.keyboard.press('Enter');
      expect(await page.getByTestId('dept-panel-name').textContent()).toBe('Kontaktcenter');
      await tabTo(page, 'dept-person');
      const first = await page.evaluate(() => document.activeElement?.textContent);
      await page.keyboard.press('ArrowDown');
      expect(await page.evaluate(() => document.activeElement?.textContent)).not.toBe(first);
      await page.keyboard.press('Escape');
      await page.getByTestId('dept-panel').waitFor({ state: 'hidden' });
      expect(await focused(page)).toBe('search');
    } finally {
      await page.context().close();
    }
  });

  it('opens the help with ?, the focus in it until Esc gives it back to the search', async () => {
    const page = await keyboardPage();
    try {
      await board(page);
      await page.keyboard.type('?');
      await page.getByTestId('help').waitFor();
      expect(await focused(page)).toBe('help-close');
      await page.keyboard.press('Tab'); // a modal dialog: Tab does not walk the page behind it
      expect(await focused(page)).toBe('help-close');
      await page.keyboard.press('Escape');
      await page.getByTestId('help').waitFor({ state: 'hidden' });
      expect(await focused(page)).toBe('search');
    } finally {
      await page.context().close();
    }
  });

  it('undoes a referral with Esc before it is sent (fake clock): nothing reaches the broker', async () => {
    const erik = '2002';
    const page = await keyboardPage();
    try {
      const posts: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().includes('/api/presence/')) posts.push(r.url());
      });
      await page.clock.install({ time: Date.now() });
      await page.goto(site.boardUrl);
      // with the page's clock installed, its frames run only as the test advances it
      const frames = () => page.clock.runFor(100);
      await expect
        .poll(async () => {
          await frames();
          return page.locator(`[data-testid="row"][data-ext="${erik}"]`).count();
        })
        .toBe(1);
      await page.keyboard.type(erik);
      await frames();
      await page.keyboard.press('Enter');
      await expect
        .poll(async () => {
          await frames();
          return page.getByTestId('detail-name').count();
        })
        .toBe(1);
      await page.keyboard.press('Tab'); // into the reasons
      const before = site.board.model.currentPresence('demo', erik)?.seq;
      await page.keyboard.press(await digitOf(page, 'course'));
      await page.getByTestId('act-pending').waitFor();
      await page.keyboard.press('Escape');
      expect(await page.getByTestId('act-result').getAttribute('data-state')).toBe('undone');
      await page.clock.runFor(60_000); // far past the wait for Undo (acting.ts UNDO_MS)
      // a second referral sent now: had the undone one gone out, its request would come first
      const open = await digitOf(page, 'open');
      await page.keyboard.press(open);
      await page.keyboard.press(open);
      await expect
        .poll(() => site.board.model.currentPresence('demo', erik)?.seq ?? 0, { timeout: 10_000 })
        .toBeGreaterThan(before ?? 0);
      expect(site.board.model.currentPresence('demo', erik)?.status).toBe('available');
      expect(site.board.model.currentPresence('demo', erik)?.seq).toBe((before ?? 0) + 1);
      expect(posts).toHaveLength(1);
    } finally {
      await page.context().close();
    }
  });
});
