// The board's daily friction (issue 24) in a real headless Chromium, open access on the embedded
// broker: the "?" hint in sight at every width, Alt+M for a message, a warning before forwarding to a
// colleague who is away, whole names on a phone, the date field in the page's language in an English
// browser, "zoe" finds Zoë, counters that add up, and no row selected by an empty search.
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message, Presence } from '../../protocol/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import { availableAt, awayAt } from '../support/board-page.js';
import { launchChromium } from '../support/browser.js';

const ORG = 'grastorp';
const ZONE = 'Europe/Stockholm';
const NOW = Date.now();
/** on the minute, so the return times are whole minutes */
const inMinutes = (m: number) => Math.ceil(NOW / 60_000) * 60_000 + m * 60_000;

const PEOPLE: [ext: string, name: string, department: string][] = [
  ['2101', 'Karin Andersson', 'social'],
  ['2102', 'Bertil Åberg', 'bygg'],
  ['2103', 'Zoë Lindqvist', 'bygg'],
  ['2104', 'Margareta Johansson', 'social'],
];

const DIRECTORY: Message[] = [
  {
    kind: 'directory-org',
    org: ORG,
    body: {
      v: 1,
      name: 'Grästorps kommun',
      timeZone: ZONE,
      locale: 'sv',
      workday: { from: '08:00', to: '17:00' },
      onReturn: 'overdue',
      callback: 'next-working-day',
    },
  },
  ...(
    [
      ['social', 'Socialtjänsten'],
      ['bygg', 'Bygglov'],
    ] as const
  ).map(
    ([id, name]): Message => ({
      kind: 'directory-department',
      org: ORG,
      departmentId: id,
      body: { v: 1, name, phoneHours: [], mustAnswer: false },
    }),
  ),
  ...PEOPLE.map(
    ([ext, name, department]): Message => ({
      kind: 'directory-person',
      org: ORG,
      ext,
      body: { v: 1, name, department },
    }),
  ),
  { kind: 'presence', org: ORG, ext: '2101', body: availableAt(NOW, 1) },
  { kind: 'presence', org: ORG, ext: '2102', body: awayAt(NOW, 1, 'lunch', inMinutes(45)) },
  { kind: 'presence', org: ORG, ext: '2104', body: awayAt(NOW, 1, 'meeting', inMinutes(60)) },
  // an extension with a presence and no directory entry; Zoë (2103) has no presence yet
  { kind: 'presence', org: ORG, ext: '2999', body: availableAt(NOW, 1) },
];

describe("the board's daily friction, in Chromium", () => {
  let broker: EmbeddedBroker;
  let board: Board;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync('test-results', { recursive: true });
    broker = await startEmbeddedBroker({ port: 0 });
    board = await startBoard({ brokerUrl: broker.url, port: 0, orgs: [ORG] });
    await board.session.ready;
    for (const m of DIRECTORY) board.model.apply(m);
    browser = await launchChromium();
  });

  afterEach(() => {
    expect(problems.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await board?.close();
    await broker?.close();
  });

  /** The live board in a context of its own: a Swedish browser unless told, 1280×720 unless told. */
  async function open(
    options: {
      viewport?: { width: number; height: number };
      locale?: string;
      deviceScaleFactor?: number;
    } = {},
  ): Promise<Page> {
    const context = await browser.newContext({
      locale: options.locale ?? 'sv-SE',
      viewport: options.viewport ?? { width: 1280, height: 720 },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(board.url);
    await page.locator('[data-testid="conn"][data-state="live"]').waitFor();
    await page.locator('[data-testid="row"][data-ext="2101"]').waitFor();
    return page;
  }

  const row = (page: Page, ext: string) =>
    page.locator(`[data-testid="row"][data-ext="${ext}"]:not([hidden])`);

  async function openPerson(page: Page, query: string, name: string): Promise<void> {
    await page.getByTestId('search').fill(query);
    await page.getByTestId('search').press('Enter');
    await expect.poll(() => page.getByTestId('detail-name').textContent()).toBe(name);
  }

  it('shows the "?" hint at every width and zoom, and the hint opens the help', async () => {
    for (const size of [
      { name: '1024x768', viewport: { width: 1024, height: 768 } },
      { name: '1366x768', viewport: { width: 1366, height: 768 } },
      { name: '1920x1080', viewport: { width: 1920, height: 1080 } },
      { name: 'phone', viewport: { width: 390, height: 844 } },
      // 200 % zoom of a 1280×800 screen: half as many CSS pixels, each drawn twice as large
      { name: '1280x800 at 200 %', viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 },
    ]) {
      const page = await open(size);
      const hint = page.getByTestId('help-hint');
      expect(await hint.textContent(), size.name).toBe('Tryck ? för kortkommandon');
      const box = await hint.boundingBox();
      if (!box) throw new Error(`no hint at ${size.name}`);
      expect(box.x, size.name).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, size.name).toBeLessThanOrEqual(size.viewport.width);
      expect(box.y + box.height, size.name).toBeLessThanOrEqual(size.viewport.height);
      // nothing covers it (not scrolled out of its box, not under another element)
      expect(
        await hint.evaluate((el) => {
          const r = el.getBoundingClientRect();
          return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === el;
        }),
        size.name,
      ).toBe(true);
      await hint.click();
      expect(await page.getByTestId('help').isVisible(), size.name).toBe(true);
      await page.screenshot({
        path: `test-results/board-friction-hint-${size.name.replace(/\W+/g, '-')}.png`,
      });
      await page.context().close();
    }
  });

  it('takes a message with Alt+M from the search, in four keys more than the message', async () => {
    const page = await open();
    await page.keyboard.type('karin');
    await page.keyboard.press('Alt+M');
    await expect.poll(() => page.getByTestId('detail-name').textContent()).toBe('Karin Andersson');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('msg-from');
    await page.keyboard.type('Lena Holm');
    await page.keyboard.press('Tab');
    await page.keyboard.type('070-123 45 67');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Ring om bygglovet');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('msg-result').textContent()).toBe('Sparat');
    await expect.poll(() => board.model.row(ORG, '2101')?.phoneMessages?.[0]?.text).toBe('Ring om bygglovet');
    // from a field of the open details too, and the help lists it
    await page.getByTestId('act-note').focus();
    await page.keyboard.press('Alt+M');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('msg-from');
    await page.getByTestId('msg-save').focus();
    await page.keyboard.press('?');
    expect(await page.getByTestId('help').textContent()).toContain(
      'Alt+Mta ett meddelande till den markerade',
    );
    // read in the help, used at once: the help closes
    await page.keyboard.press('Alt+M');
    expect(await page.getByTestId('help').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('msg-from');
  });

  it('warns before a forward to a colleague who is away, and still sends it when asked', async () => {
    const page = await open();
    await openPerson(page, 'karin', 'Karin Andersson');
    const forward = page.getByTestId('act-alt-forward');
    const warning = page.getByTestId('warn-alt-forward');
    await forward.fill('2102');
    await expect
      .poll(() => warning.textContent())
      .toMatch(/^Bertil Åberg \(2102\) är själv borta \(Lunch, tillbaka \d\d:\d\d\): samtalen når ingen\./);
    expect(await warning.isVisible()).toBe(true);
    await forward.fill('2999'); // available
    await expect.poll(() => warning.isHidden()).toBe(true);
    await forward.fill('2101');
    await expect
      .poll(() => warning.textContent())
      .toBe('Det är personens egen anknytning: samtalen kommer tillbaka hit.');
    await forward.fill('2102');
    await page.getByTestId('act-meeting').click();
    expect(await warning.isVisible()).toBe(true); // still in sight while it waits to be sent
    await page.screenshot({ path: 'test-results/board-friction-forward-warning.png' });
    await page.getByTestId('act-send').click();
    await expect
      .poll(() => board.model.currentPresence(ORG, '2101')?.alt)
      .toEqual({ kind: 'forward', to: '2102' });
  });

  it('shows whole names on a phone, beside a whole return time', async () => {
    const page = await open({ viewport: { width: 390, height: 844 } });
    const margareta = row(page, '2104');
    await expect.poll(() => margareta.getByTestId('back').textContent()).toMatch(/^tillbaka \d\d:\d\d$/);
    // the head says "Åter": the cell shows the time
    expect(await margareta.locator('.c-back .word').isHidden()).toBe(true);
    await page.screenshot({ path: 'test-results/board-friction-phone-names.png' });
    const cut = (cell: string) =>
      margareta.locator(cell).evaluate((el) => el.scrollWidth > el.clientWidth + 0.5);
    expect(await cut('.c-name'), 'Margareta Johansson').toBe(false);
    expect(await cut('.c-back'), 'HH:MM').toBe(false);
  });

  it("writes the return date the page's way in an English browser, and reads it so", async () => {
    const page = await open({ locale: 'en-US' });
    await openPerson(page, 'karin', 'Karin Andersson');
    const date = page.getByTestId('act-until-date');
    expect(await date.getAttribute('placeholder')).toBe('ÅÅÅÅ-MM-DD');
    // what the field shows is what was typed: not the browser's mm/dd/yyyy
    // a Wednesday some weeks ahead (a weekend date would move on to the Monday: the server's rule)
    const back = new Date(inMinutes(40 * 24 * 60));
    back.setUTCDate(back.getUTCDate() + ((3 - back.getUTCDay() + 7) % 7));
    const iso = back.toISOString().slice(0, 10);
    await date.fill(iso);
    expect(await date.inputValue()).toBe(iso);
    await page.getByTestId('act-vacation').click();
    await page.getByTestId('act-send').click();
    await expect.poll(() => board.model.currentPresence(ORG, '2101')?.reason).toBe('vacation');
    const until = (board.model.currentPresence(ORG, '2101') as Presence).until as string;
    expect(new Date(until).toLocaleDateString('sv-SE', { timeZone: ZONE })).toBe(iso);

    // Danish: day first
    await page.getByTestId('langs').getByRole('button', { name: 'da', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('act-until-date').getAttribute('placeholder'))
      .toBe('DD-MM-ÅÅÅÅ');
    const [y, m, d] = iso.split('-');
    await page.getByTestId('act-until-date').fill(`${d}-${m}-${y}`);
    await page.getByTestId('act-sick').click();
    await page.getByTestId('act-send').click();
    await expect.poll(() => board.model.currentPresence(ORG, '2101')?.reason).toBe('sick');
    const sickUntil = (board.model.currentPresence(ORG, '2101') as Presence).until as string;
    expect(new Date(sickUntil).toLocaleDateString('sv-SE', { timeZone: ZONE })).toBe(iso);

    // English: the unambiguous ISO date; an American or British one is refused with how to write it
    await page.getByTestId('langs').getByRole('button', { name: 'en', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('act-until-date').getAttribute('placeholder'))
      .toBe('YYYY-MM-DD');
    await page.getByTestId('act-until-date').fill(`${m}/${d}/${y}`);
    await page.getByTestId('act-lunch').click();
    expect(await page.getByTestId('err-until-date').textContent()).toBe(
      'Type the date as YYYY-MM-DD, e.g. 2027-01-12.',
    );
    expect(await page.getByTestId('act-pending').isHidden()).toBe(true);
  });

  it('finds Zoë by "zoe"', async () => {
    const page = await open();
    await page.getByTestId('search').fill('zoe');
    await expect
      .poll(() => page.locator('#list [data-testid="row"]:not([hidden]) .name').allTextContents())
      .toEqual(['Zoë Lindqvist']);
  });

  it('counts everyone in one state: the counters add up to the people, unknown ones too', async () => {
    const page = await open();
    const count = async (kind: string) =>
      Number(await page.getByTestId(`count-${kind}`).locator('b').textContent());
    await expect.poll(() => count('total')).toBe(5);
    expect(await count('unknown')).toBe(1); // Zoë
    expect(await page.getByTestId('count-unknown').textContent()).toBe('1 okänt läge');
    const states = await Promise.all(['available', 'away', 'overdue', 'unknown'].map(count));
    expect(states.reduce((a, b) => a + b)).toBe(5);
  });

  it('selects no row while the search is empty; ↓ or a search does', async () => {
    const page = await open();
    const selected = () =>
      page.$$eval('#list [aria-selected="true"]:not([hidden])', (els) =>
        els.map((e) => (e as HTMLElement).dataset.ext),
      );
    expect(await selected()).toEqual([]);
    await page.keyboard.press('ArrowDown');
    await expect.poll(selected).toEqual(['2102']); // Bertil Åberg, first by name
    await page.keyboard.press('Escape');
    await expect.poll(selected).toEqual([]);
    await page.keyboard.type('karin');
    await expect.poll(selected).toEqual(['2101']);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('search').inputValue()).toBe('');
    await expect.poll(selected).toEqual([]);
  });
});
