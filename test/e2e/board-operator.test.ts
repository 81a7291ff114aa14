// The board as an operator lives in it all day (issue 15), in a real headless Chromium against a real
// Mosquitto with a running desk agent: errors are sentences next to their field, checked before
// sending; the layout fits from a phone to 2560 px; a referral waits for Undo, has hotkeys and a help
// overlay, and leaves an audit line that survives a board restart (without a recorder store only the
// newest, and the trail says it is not kept: board-audit.test.ts has the whole trail); search folds accents, finds
// reasons and starts afresh from anywhere; one symbol per meaning with a legend; a row turns overdue
// with the count and keeps its return time; a clock. Screenshots go to test-results/.
import { mkdirSync } from 'node:fs';
import mqtt from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/index.js';
import { createAuth } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { publishMessage } from '../../switchboard/publish.js';
import { awayAt, boardUsers, logIn, watchedPage } from '../support/board-page.js';
import { launchChromium } from '../support/browser.js';
import { type DemoDesk, startDemoDesk } from '../support/demo-desk.js';

const ORG = 'demo';
const EXT = '2101'; // Karin Andersson, Socialtjänsten
const SIZES = [
  { name: '1024x768', width: 1024, height: 768 },
  { name: '1280x720', width: 1280, height: 720 },
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '2560x1440', width: 2560, height: 1440 },
  { name: 'phone', width: 390, height: 844 },
];

describe('the board for an operator all day, in Chromium', () => {
  let desk: DemoDesk;
  let board: Board;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const users = boardUsers([ORG]);

  const publish = async (messages: Message[]) => {
    const client = await mqtt.connectAsync(desk.mosquitto.url, { protocolVersion: 4 });
    for (const m of messages) await publishMessage(client, m);
    await client.endAsync();
  };

  beforeAll(async () => {
    mkdirSync('test-results', { recursive: true });
    desk = await startDemoDesk(ORG, EXT);
    board = await startBoard({
      brokerUrl: desk.mosquitto.url,
      port: 0,
      orgs: [ORG],
      auth: createAuth({ users: await users }),
    });
    await board.session.ready;
    // Åsa Ørsted (folding both ways) and a colleague out for lunch
    await publish([
      {
        kind: 'directory-person',
        org: ORG,
        ext: '2205',
        body: { v: 1, name: 'Åsa Ørsted', department: 'bygglov' },
      },
      {
        kind: 'presence',
        org: ORG,
        ext: '2204',
        body: awayAt(Date.now(), 50, 'lunch', Math.ceil(Date.now() / 60_000) * 60_000 + 3_600_000),
      },
    ]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await board?.close();
    await desk?.stop();
  });

  async function newPage(viewport = { width: 1280, height: 720 }, url = board.url): Promise<Page> {
    const page = await watchedPage(browser, problems, viewport, 15_000);
    contexts.push(page.context());
    await logIn(page, url, 'olle');
    return page;
  }
  const row = (page: Page, ext: string) =>
    page.locator(`[data-testid="row"][data-ext="${ext}"]:not([hidden])`);
  /** With the page's clock installed (fake), frames run only as the test advances it. */
  const openKarin = async (page: Page, fake = false) => {
    await page.keyboard.type('karin');
    if (fake) await page.clock.runFor(100);
    await page.keyboard.press('Enter');
    if (!fake) return page.getByTestId('detail-name').waitFor();
    await expect
      .poll(async () => {
        await page.clock.runFor(100);
        return page.getByTestId('detail-name').count();
      })
      .toBe(1);
  };

  it('1. says what is wrong in Swedish next to the field, before sending, and clears it when fixed', async () => {
    const page = await newPage();
    await openKarin(page);
    const writes = board.model.currentPresence(ORG, EXT)?.seq;
    await page.getByTestId('act-until').fill('25:99');
    await page.getByTestId('act-lunch').click();
    expect(await page.getByTestId('err-until').textContent()).toBe('Skriv tiden som 1530 eller 15:30.');
    expect(await page.getByTestId('act-pending').isHidden()).toBe(true);
    await page.getByTestId('act-until').fill('1530');
    expect(await page.getByTestId('err-until').isHidden()).toBe(true);
    await page.getByTestId('msg-save').click();
    expect(await page.getByTestId('err-from').textContent()).toBe('Skriv vem som ringde.');
    await page.getByTestId('msg-from').fill('Lena Holm');
    expect(await page.getByTestId('err-from').isHidden()).toBe(true);
    await page.getByTestId('msg-save').click();
    expect(await page.getByTestId('err-text').textContent()).toBe('Skriv meddelandet.');
    // nothing reached the broker, and no English or zod text is on the page
    expect(board.model.currentPresence(ORG, EXT)?.seq).toBe(writes);
    expect(await page.getByTestId('detail').textContent()).not.toMatch(/until:|from:|HH:MM|ISO/);
    await page.screenshot({ path: 'test-results/board-operator-errors.png' });
    expect(problems.splice(0)).toEqual([]);
  });

  it('2. fits every screen from a phone to 2560 px with a person open', async () => {
    for (const size of SIZES) {
      const page = await newPage(size);
      await openKarin(page);
      const box = async (sel: string) => {
        const b = await page.locator(sel).first().boundingBox();
        if (!b) throw new Error(`${sel} has no box at ${size.name}`);
        return b;
      };
      const within = (b: { x: number; y: number; width: number; height: number }, what: string) => {
        expect(b.x, `${what} at ${size.name}`).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width, `${what} at ${size.name}`).toBeLessThanOrEqual(size.width + 0.5);
      };
      within(await box('[data-testid="detail"]'), 'details');
      // the reasons are above the fold
      const reasons = await box('[data-testid="act"] [role="toolbar"]');
      expect(reasons.y + reasons.height, `reasons at ${size.name}`).toBeLessThanOrEqual(size.height);
      // the header's parts do not overlap
      const header = ['.brand', '[data-testid="counts"]', '.meta'];
      const boxes = await Promise.all(header.map(box));
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]] as [typeof reasons, typeof reasons];
          const apart =
            a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
          expect(apart, `${header[i]} and ${header[j]} at ${size.name}`).toBe(true);
        }
      // the department strip wraps rather than hide a chip off the right edge (issue 24)
      for (const chip of await page.locator('[data-testid="department"]').all()) {
        const b = await chip.boundingBox();
        if (!b) throw new Error(`a department chip has no box at ${size.name}`);
        within(b, 'department chip');
      }
      await page.screenshot({ path: `test-results/board-operator-${size.name}.png` });
      if (size.width > 700) {
        // no column of the list is cut off: every shown head cell ends inside the board
        const board = await box('.board');
        for (const cell of await page.locator('[data-testid="head"] > span').all()) {
          const b = await cell.boundingBox();
          if (b && b.width > 0)
            expect(b.x + b.width, `column at ${size.name}`).toBeLessThanOrEqual(board.x + board.width);
        }
        within(board, 'list');
      } else {
        // on a phone the details cover the list; ✕ closes them
        await page.getByTestId('detail-close').click();
        await page.getByTestId('detail').waitFor({ state: 'hidden' });
        within(await box('.board'), 'list');
        await page.screenshot({ path: `test-results/board-operator-${size.name}-list.png` });
      }
      await page.context().close();
    }
    expect(problems.splice(0)).toEqual([]);
  });

  it('3. a referral waits for Undo, has hotkeys and help, shows the current reason and an audit line', async () => {
    const page = await newPage();
    await page.clock.install({ time: Date.now() });
    await page.reload();
    const frames = () => page.clock.runFor(100);
    await expect
      .poll(async () => {
        await frames();
        return page.locator('[data-testid="conn"][data-state="live"]').count();
      })
      .toBe(1);
    await page.keyboard.type('?');
    await frames();
    expect(await page.getByTestId('help').textContent()).toContain('Kortkommandon');
    expect(await page.getByTestId('help').textContent()).toContain('välj orsak 1–9');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('help').isHidden()).toBe(true);
    await openKarin(page, true);
    await frames();
    // available now: Tillgänglig is pressed, Sjuk is not; the placeholder is a hint, not a value
    expect(await page.getByTestId('act-open').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('act-sick').getAttribute('aria-pressed')).toBe('false');
    const until = page.getByTestId('act-until');
    expect([await until.inputValue(), await until.getAttribute('placeholder')]).toEqual(['', 't.ex. 1530']);
    expect(await until.evaluate((el) => getComputedStyle(el, '::placeholder').fontStyle)).toBe('italic');
    // one Tab to the reasons, 6 is Sjuk: it waits; Esc undoes it and nothing is ever sent
    const seq = board.model.currentPresence(ORG, EXT)?.seq;
    await page.keyboard.press('Tab');
    await page.keyboard.press('6');
    expect(await page.getByTestId('act-pending').textContent()).toContain('Skickas strax: Sjuk');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('act-result').textContent()).toBe('Ångrat: inget ändrades');
    await page.clock.runFor(10_000);
    expect(board.model.currentPresence(ORG, EXT)?.seq).toBe(seq);
    expect(await page.getByTestId('detail').isVisible()).toBe(true); // the first Esc only undid
    // again, left alone: sent after the wait
    await page.getByTestId('act-sick').focus();
    await page.keyboard.press('6');
    await page.screenshot({ path: 'test-results/board-operator-pending.png' });
    await page.clock.runFor(5_100);
    await expect.poll(() => board.model.currentPresence(ORG, EXT)?.reason).toBe('sick');
    await expect
      .poll(async () => {
        await frames();
        return page.getByTestId('act-sick').getAttribute('aria-pressed');
      })
      .toBe('true');
    expect(await page.getByTestId('act-open').getAttribute('aria-pressed')).toBe('false');
    await expect
      .poll(async () => {
        await frames();
        return page.getByTestId('audit-line').first().textContent();
      })
      .toMatch(/^\d\d:\d\d olle: Sjuk, tillbaka /);
    // this board has no recorder store: the trail says so rather than pass for whole
    expect(await page.getByTestId('audit-note').textContent()).toBe(
      'Historiken sparas inte: ingen inspelningsdatabas.',
    );
    await page.screenshot({ path: 'test-results/board-operator-audit.png' });

    // a restarted board still says who set it, from the retained presence
    const again = await startBoard({
      brokerUrl: desk.mosquitto.url,
      port: 0,
      orgs: [ORG],
      auth: createAuth({ users: await users }),
    });
    try {
      await again.session.ready;
      await expect.poll(() => again.model.currentPresence(ORG, EXT)?.reason).toBe('sick');
      const fresh = await newPage(undefined, again.url);
      await openKarin(fresh);
      await expect.poll(() => fresh.getByTestId('audit-line').first().textContent()).toMatch(/ olle: Sjuk/);
      // and 0 makes her available again, from the reasons' toolbar
      await fresh.keyboard.press('Tab');
      await fresh.keyboard.press('0');
      await fresh.keyboard.press('0');
      await expect.poll(() => again.model.currentPresence(ORG, EXT)?.status).toBe('available');
    } finally {
      await again.close();
    }
    expect(problems.splice(0)).toEqual([]);
  });

  it('4. search starts afresh from anywhere, Esc works anywhere, accents fold, reasons are found', async () => {
    const page = await newPage();
    const search = page.getByTestId('search');
    await page.keyboard.type('karin');
    await page.getByTestId('langs').getByRole('button', { name: 'sv', exact: true }).focus();
    await page.keyboard.type('karin');
    expect(await search.inputValue()).toBe('karin');
    await page.getByTestId('langs').getByRole('button', { name: 'sv', exact: true }).focus();
    await page.keyboard.press('Escape');
    expect(await search.inputValue()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    const names = async () => page.locator('#list [data-testid="row"]:not([hidden]) .name').allTextContents();
    for (const typed of ['asa orsted', 'Åsa Ørsted', 'ÅSA']) {
      await search.fill(typed);
      await expect.poll(names).toEqual(['Åsa Ørsted']);
    }
    await search.fill('socialtjansten');
    await expect.poll(async () => (await names()).length).toBe(3);
    await search.fill('lunch');
    await expect.poll(names).toEqual(['Ingrid Olsson']);
    expect(problems.splice(0)).toEqual([]);
  });

  it('5. one symbol per meaning, a legend, reasons told apart without colour', async () => {
    const page = await newPage({ width: 1920, height: 1080 });
    await expect.poll(() => row(page, '2204').locator('.ico').textContent()).toBe('☕');
    const legend = (await page.getByTestId('legend').textContent()) ?? '';
    for (const entry of [
      '✓ Tillgänglig',
      '☕ Lunch',
      '✚ Sjuk',
      '✉ meddelanden',
      '✇ röstbrev',
      '☎ väntande samtal',
    ])
      expect(legend).toContain(entry);
    // each reason its own icon and its own colour
    const ico = page.getByTestId('legend').locator('.ico');
    const looks = await ico.evaluateAll((els) =>
      els.map((e) => `${e.textContent} ${getComputedStyle(e).backgroundColor}`),
    );
    expect(new Set(looks.map((l) => l.split(' ')[0])).size).toBe(looks.length);
    const reasonColours = await page
      .getByTestId('legend')
      .locator('.ico[data-reason]')
      .evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
    expect(new Set(reasonColours).size).toBe(reasonColours.length);
    expect(problems.splice(0)).toEqual([]);
  });

  it('6 and 7. the row turns overdue in the frame the count does, keeps its time; a clock and date', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    // 11:29:47.5 in Stockholm: half a tick off the wall clock's 5-second marks, where the page's tick runs
    const start = Date.parse('2026-11-23T10:29:47.500Z');
    await page.clock.install({ time: start });
    await logInFake(page);
    await publish([
      {
        kind: 'presence',
        org: ORG,
        ext: '2203',
        body: awayAt(start, 60, 'meeting', Date.parse('2026-11-23T10:30:00.000Z')),
      },
    ]);
    const anders = row(page, '2203');
    await expect
      .poll(async () => {
        await page.clock.runFor(100);
        return anders.getAttribute('data-state');
      })
      .toBe('away');
    const overdueCount = async () =>
      Number(await page.getByTestId('count-overdue').locator('b').textContent());
    // step 500 ms at a time: at every step the row and the count agree
    for (let i = 0; i < 40; i++) {
      await page.clock.runFor(500);
      if (i === 26) {
        // a delta just after the return time (11:30:01), one that redraws only its own row and the
        // counters: the counters must not run ahead of the rows
        await publish([{ kind: 'voicemail', org: ORG, ext: '2001', body: { v: 1, count: 3 } }]);
        await expect
          .poll(async () => {
            await page.clock.runFor(20);
            return row(page, '2001').locator('.c-msg').textContent();
          })
          .toContain('3');
        await page.clock.runFor(600); // the counters' at most every 0.5 s
      }
      const red = (await anders.getAttribute('data-state')) === 'overdue';
      expect(red, `at +${(i + 1) * 0.5} s`).toBe((await overdueCount()) > 0);
    }
    expect(await anders.getAttribute('data-state')).toBe('overdue');
    await page.clock.runFor(10 * 60_000);
    expect(await anders.getByTestId('back').textContent()).toBe('försenad 10 min, skulle åter 11:30');
    expect(await page.getByTestId('clock').textContent()).toBe('11:40');
    expect(await page.getByTestId('date').textContent()).toBe('mån 23 nov.');
    await page.screenshot({ path: 'test-results/board-operator-overdue.png' });
    await page.close();
  });

  /** logIn with the page's clock installed: its frames and timers run only as the test advances them. */
  async function logInFake(page: Page) {
    await page.goto(board.url);
    await page.fill('#username', 'olle');
    await page.fill('#password', 'olle-password');
    await Promise.all([page.waitForURL(board.url), page.press('#password', 'Enter')]);
    await expect
      .poll(async () => {
        await page.clock.runFor(100);
        return page.locator('[data-testid="conn"][data-state="live"]').count();
      })
      .toBe(1);
  }
});
