// Issue 24, daily friction: an outage showed only a small pill while the rows stayed bright and the
// queue waits kept counting. In Chromium against the board on the embedded broker, which stops and
// starts again: the board is dimmed under "Senast uppdaterad HH:MM", the queue waits stand still, a
// write refused meanwhile says so; once the broker is back all of that goes, the refusal too.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/index.js';
import { GRASTORP_ORG, type OpenBoard, openBoard, untilOnClock } from '../support/open-board.js';

const ORG = 'grastorp';
// 10:30 UTC on a Monday, 11:30 in Stockholm
const NOW = Date.parse('2026-11-23T10:30:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const DIRECTORY: Message[] = [
  GRASTORP_ORG,
  {
    kind: 'directory-department',
    org: ORG,
    departmentId: 'bygg',
    body: { v: 1, name: 'Bygglov', queue: 'bygg', phoneHours: [], mustAnswer: false },
  },
  {
    kind: 'queue',
    org: ORG,
    queueId: 'bygg',
    body: { v: 1, name: 'Bygglov', waiting: 3, oldestSince: iso(NOW - 95_000), at: iso(NOW) },
  },
  { kind: 'directory-person', org: ORG, ext: '2101', body: { v: 1, name: 'Anna Berg', department: 'bygg' } },
];

describe('an outage on the board, in Chromium', () => {
  let site: OpenBoard;
  let page: Page;
  const problems: string[] = [];
  /** the page's frames and timers run only as the test advances its clock; the network runs on */
  const until = (read: () => Promise<unknown>, expected: unknown) => untilOnClock(page, read, expected);
  const conn = () => page.getByTestId('conn').getAttribute('data-state');
  const wait = () => page.locator('[data-testid="department"] [data-testid="queue"] .qwait').textContent();
  const dimmed = () => page.locator('.board').evaluate((el) => Number(getComputedStyle(el).opacity) < 1);

  beforeAll(async () => {
    site = await openBoard(DIRECTORY);
    page = await site.browser.newPage({ locale: 'sv-SE', viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => problems.push(e.message));
  });
  afterAll(async () => {
    await site?.close();
    expect(problems).toEqual([]);
  });

  it('dims the board, says since when, freezes the waits; all of it goes when the broker is back', async () => {
    await page.clock.install({ time: NOW });
    await page.goto(site.board.url);
    await until(conn, 'live');
    await until(wait, 'väntar · längst 1:35');
    expect(await page.getByTestId('stale-banner').isHidden()).toBe(true);
    expect(await dimmed()).toBe(false);
    await page.keyboard.type('anna');
    await page.clock.runFor(100);
    await page.keyboard.press('Enter');
    await until(() => page.getByTestId('act-lunch').count(), 1);

    await site.stopBroker();
    await until(conn, 'stale');
    await until(() => page.getByTestId('stale-banner').isVisible(), true);
    expect(await page.getByTestId('stale-banner').textContent()).toMatch(
      /^Senast uppdaterad 11:3\d: tavlan visar senast kända läge, och köernas väntetider står stilla tills kontakten är tillbaka$/,
    );
    expect(await dimmed()).toBe(true);
    const frozen = await wait();
    await page.clock.runFor(60_000);
    expect(await wait()).toBe(frozen);
    // a write meanwhile is refused, and says why
    await page.getByTestId('act-lunch').click();
    await page.getByTestId('act-send').click();
    await until(
      () => page.getByTestId('act-result').textContent(),
      'Tavlan har ingen kontakt med brokern: inget ändrades. Försök igen.',
    );
    await page.screenshot({ path: 'test-results/board-outage.png' });

    await site.startBroker();
    await until(conn, 'live');
    await until(() => page.getByTestId('stale-banner').isHidden(), true);
    expect(await dimmed()).toBe(false);
    expect(await page.getByTestId('act-result').textContent()).toBe('');
    // the waits count again, from the clock
    expect(await wait()).not.toBe(frozen);
  });

  it('the page losing the board is an outage too', async () => {
    await site.stopBoard();
    await until(conn, 'reconnecting');
    await until(() => page.getByTestId('stale-banner').isVisible(), true);
    expect(await dimmed()).toBe(true);
    await site.startBoard();
    await until(conn, 'live');
    await until(() => page.getByTestId('stale-banner').isHidden(), true);
    expect(await dimmed()).toBe(false);
  });
});
