// Issue 27, upcoming absences for the operator: the calendar bridge's `next` on calendar/{ext} shows in
// Chromium on the person's row ("Sammanträde från 14:00", while she is in) and in her details with the
// return, in Swedish and English; once it has begun the row no longer promises it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/index.js';
import { availableAt } from '../support/board-page.js';
import { GRASTORP_ORG, type OpenBoard, openBoard, untilOnClock } from '../support/open-board.js';

const ORG = 'grastorp';
// 09:30 UTC on a Monday, 10:30 in Stockholm; the meeting 14:00–15:30 there
const NOW = Date.parse('2026-11-23T09:30:00.000Z');
const MEETING = { from: '2026-11-23T13:00:00.000Z', to: '2026-11-23T14:30:00.000Z', reason: 'meeting' };

/** calendar/2101 from a working feed, with the next absence if any */
const nextAbsence = (next?: typeof MEETING): Message => ({
  kind: 'calendar-status',
  org: ORG,
  ext: '2101',
  body: {
    v: 1,
    ok: true,
    at: new Date(NOW).toISOString(),
    lastGood: new Date(NOW).toISOString(),
    failures: 0,
    ...(next ? { next } : {}),
  },
});

const MESSAGES: Message[] = [
  GRASTORP_ORG,
  {
    kind: 'directory-department',
    org: ORG,
    departmentId: 'bygg',
    body: { v: 1, name: 'Bygglov', phoneHours: [], mustAnswer: false },
  },
  { kind: 'directory-person', org: ORG, ext: '2101', body: { v: 1, name: 'Anna Berg', department: 'bygg' } },
  { kind: 'presence', org: ORG, ext: '2101', body: availableAt(NOW, 1) },
  nextAbsence(MEETING),
];

describe("a person's next absence on the board, in Chromium", () => {
  let site: OpenBoard;
  let page: Page;
  const problems: string[] = [];
  const until = (read: () => Promise<unknown>, expected: unknown) => untilOnClock(page, read, expected);
  const back = () =>
    page.locator('[data-testid="row"][data-ext="2101"]:not([hidden]) [data-testid="back"]').textContent();
  const details = () => page.locator('[data-testid="detail"] dl').first().textContent();

  beforeAll(async () => {
    site = await openBoard(MESSAGES);
    page = await site.browser.newPage({ locale: 'sv-SE', viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => problems.push(e.message));
  });
  afterAll(async () => {
    await site?.close();
    expect(problems).toEqual([]);
  });

  it('shows "Sammanträde från 14:00" on her row and the return in her details; English too', async () => {
    await page.clock.install({ time: NOW });
    await page.goto(site.board.url);
    await until(back, 'Sammanträde från 14:00');
    await page.keyboard.type('anna');
    await page.clock.runFor(100);
    await page.keyboard.press('Enter');
    await until(
      async () => (await details())?.includes('Nästa frånvaroSammanträde från 14:00, tillbaka 15:30'),
      true,
    );
    await page.screenshot({ path: 'test-results/board-next-absence.png' });

    await page.goto(new URL('?lang=en', site.board.url).href);
    await until(back, 'Meeting from 14:00');
  });

  it('no longer promises it once it has begun, and drops it when the bridge says there is none', async () => {
    await page.goto(site.board.url);
    await until(back, 'Sammanträde från 14:00');
    // the bridge is slow to say the next one: the row does not promise a meeting already under way
    await page.clock.fastForward(Date.parse(MEETING.from) - NOW);
    await until(back, '');
    await page.clock.setSystemTime(NOW);
    await until(back, 'Sammanträde från 14:00');
    await site.publish([nextAbsence()]);
    await until(back, '');
  });
});
