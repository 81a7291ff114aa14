// Issue 24, items 2 and 3: what the board shows is in view at every size an operator uses (1024×768,
// 1366×768, 2560×1440, a 390×844 phone, 200 % zoom): every department chip with its queue and its
// alarm (none off the right edge, none cut), the overdue text whole while the next column is empty,
// and open phone messages first in the details when there are any.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/index.js';
import { awayAt } from '../support/board-page.js';
import { type OpenBoard, openBoard } from '../support/open-board.js';

const ORG = 'grastorp';
// 10:30 UTC on a Monday, 11:30 in Stockholm
const NOW = Date.parse('2026-11-23T10:30:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** 200 % zoom of 1366×768: the page lays out in half the CSS pixels, drawn twice as large. */
const SIZES = [
  { name: '1024x768', width: 1024, height: 768, scale: 1 },
  { name: '1366x768', width: 1366, height: 768, scale: 1 },
  { name: '2560x1440', width: 2560, height: 1440, scale: 1 },
  { name: 'phone', width: 390, height: 844, scale: 3 },
  { name: 'zoom200', width: 683, height: 384, scale: 2 },
];

const department = (id: string, name: string, more: { queue?: string; mustAnswer?: boolean }): Message => ({
  kind: 'directory-department',
  org: ORG,
  departmentId: id,
  body: { v: 1, name, phoneHours: [], mustAnswer: more.mustAnswer ?? false, ...more },
});
const queue = (id: string, name: string, waiting: number): Message => ({
  kind: 'queue',
  org: ORG,
  queueId: id,
  body: { v: 1, name, waiting, oldestSince: iso(NOW - 95_000), at: iso(NOW) },
});
const person = (ext: string, name: string, dept: string): Message => ({
  kind: 'directory-person',
  org: ORG,
  ext,
  body: { v: 1, name, department: dept, title: 'Handläggare' },
});
const presence = (ext: string, body: ReturnType<typeof awayAt>): Message => ({
  kind: 'presence',
  org: ORG,
  ext,
  body,
});

// three departments, as in the issue: the third has a queue and "Ingen kan svara"
const DIRECTORY: Message[] = [
  {
    kind: 'directory-org',
    org: ORG,
    body: {
      v: 1,
      name: 'Grästorps kommun',
      greeting: 'Välkommen till Grästorps kommun, du talar med …',
      timeZone: 'Europe/Stockholm',
      locale: 'sv',
      workday: { from: '08:00', to: '17:00' },
      onReturn: 'overdue',
      callback: 'next-working-day',
    },
  },
  department('bygg', 'Bygglov och miljötillsyn', { queue: 'bygg' }),
  department('social', 'Socialtjänsten, individ- och familjeomsorg', { queue: 'social' }),
  department('ssk', 'Sjuksköterskor i hemsjukvården', { queue: 'ssk', mustAnswer: true }),
  queue('bygg', 'Bygglov', 3),
  queue('social', 'Socialtjänsten', 2),
  queue('ssk', 'Hemsjukvården', 4),
  queue('vaxel', 'Växeln', 5), // a queue no department names
  person('2101', 'Anna Berg', 'social'),
  person('2102', 'Bertil Åberg', 'bygg'),
  person('2103', 'Cecilia Lund', 'ssk'),
  person('2104', 'David Ek', 'social'),
  presence('2101', { ...awayAt(NOW, 1, 'lunch', null), status: 'available', reason: null }),
  presence('2102', awayAt(NOW, 1, 'lunch', NOW + 45 * MIN)),
  // overdue, nothing in the next column: "försenad 10 min, skulle åter 11:20"
  presence('2103', awayAt(NOW, 1, 'meeting', NOW - 10 * MIN)),
  presence('2104', awayAt(NOW, 1, 'sick', null)),
  ...['m1', 'm2'].map(
    (id, i): Message => ({
      kind: 'mwi-message',
      org: ORG,
      ext: '2104',
      messageId: id,
      body: {
        v: 1,
        message: { id, at: iso(NOW - i * MIN), from: `Lisa ${i}`, text: 'Ring tillbaka', callbackBy: null },
      },
    }),
  ),
];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every element matching `selector`, as laid out, with the box of the strip it sits in. */
const boxes = (page: Page, selector: string) =>
  page.$$eval(selector, (els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      const s = (el.closest('[data-testid="queues"]') ?? document.body).getBoundingClientRect();
      return {
        text: el.textContent ?? '',
        box: { x: r.x, y: r.y, width: r.width, height: r.height },
        strip: { x: s.x, y: s.y, width: s.width, height: s.height },
      };
    }),
  );

/** Inside `outer`, to the pixel. */
const inside = (box: Box, outer: Box) =>
  box.x >= outer.x - 1 &&
  box.y >= outer.y - 1 &&
  box.x + box.width <= outer.x + outer.width + 1 &&
  box.y + box.height <= outer.y + outer.height + 1;

describe('everything in view at every size, in Chromium', () => {
  let site: OpenBoard;
  let browser: Browser;

  beforeAll(async () => {
    site = await openBoard(DIRECTORY);
    browser = site.browser;
  });
  afterAll(async () => {
    await site?.close();
  });

  async function pageAt(size: (typeof SIZES)[number]): Promise<Page> {
    const page = await browser.newPage({
      locale: 'sv-SE',
      viewport: { width: size.width, height: size.height },
      deviceScaleFactor: size.scale,
    });
    page.setDefaultTimeout(5_000);
    await page.clock.setFixedTime(NOW);
    await page.goto(site.board.url);
    await page.locator('[data-testid="conn"][data-state="live"]').waitFor();
    await page.locator('[data-testid="dept-alarm"]').waitFor();
    return page;
  }

  it.each(SIZES)('every department, its queue and its alarm are whole on screen at $name', async (size) => {
    const page = await pageAt(size);
    const screen = { x: 0, y: 0, width: size.width, height: size.height };
    const chips = await boxes(page, '[data-testid="department"]');
    expect(chips).toHaveLength(3);
    for (const selector of [
      '[data-testid="department"]',
      '[data-testid="queue"]',
      '[data-testid="dept-alarm"]',
    ])
      for (const { text, box, strip } of await boxes(page, selector)) {
        expect(inside(box, screen), `${text} on screen at ${size.name}`).toBe(true);
        expect(inside(box, strip), `${text} not cut by the strip at ${size.name}`).toBe(true);
      }
    expect(await boxes(page, '[data-testid="dept-alarm"]')).toHaveLength(1);
    expect(await boxes(page, '[data-testid="queue"]')).toHaveLength(4);
    // nothing scrolls sideways out of sight
    expect(
      await page.evaluate(() => {
        const strip = document.querySelector('[data-testid="queues"]') as HTMLElement;
        return [strip.scrollWidth <= strip.clientWidth, document.documentElement.scrollWidth <= innerWidth];
      }),
    ).toEqual([true, true]);
    await page.screenshot({ path: `test-results/board-fit-departments-${size.name}.png` });
    await page.close();
  });

  it.each(SIZES.filter((s) => s.width >= 1024))(
    'the overdue text is whole while the next column is empty at $name',
    async (size) => {
      const page = await pageAt(size);
      const back = page.locator('[data-testid="row"][data-ext="2103"] [data-testid="back"]');
      expect(await back.textContent()).toMatch(/^försenad 10 min, skulle åter 11:20$/);
      expect(await back.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      // and with someone's details open beside the list
      await page.keyboard.type('anna');
      await page.keyboard.press('Enter');
      await page.getByTestId('detail-name').waitFor();
      await page.keyboard.press('Control+a');
      await page.keyboard.press('Backspace');
      await expect.poll(() => back.count()).toBe(1);
      expect(await back.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      await page.close();
    },
  );

  it('open phone messages come first in the details, in view at 1024×768', async () => {
    const page = await pageAt(SIZES[0] as (typeof SIZES)[number]);
    await page.keyboard.type('david');
    await page.keyboard.press('Enter');
    const messages = page.getByTestId('detail-messages');
    await messages.waitFor();
    const [list, act, facts] = await Promise.all([
      messages.boundingBox(),
      page.getByTestId('act').boundingBox(),
      page.locator('[data-testid="detail"] dl').boundingBox(),
    ]);
    expect(list && act && facts).toBeTruthy();
    expect((list as Box).y).toBeLessThan((facts as Box).y);
    expect((list as Box).y).toBeLessThan((act as Box).y);
    expect((list as Box).y + 40).toBeLessThan(768);
    // without messages, the facts follow the name as before
    await page.getByTestId('search').fill('anna');
    await page.keyboard.press('Enter');
    await page.getByTestId('detail-name').filter({ hasText: 'Anna Berg' }).waitFor();
    expect(await page.getByTestId('detail-messages').count()).toBe(0);
    await page.close();
  });
});
