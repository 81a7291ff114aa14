// Issue 23, callbacks on the board in Chromium: the department panel lists who has a phone message
// past its callback deadline (Falkenberg: the same day) or voicemail waiting past its own (Högsby:
// "senast nästkommande arbetsdag"; SAMSA: "läses av dagligen"; its age from the phone system's
// `oldestSince`), not only the person's desk lamp; a person away on a trip past the deadline is not
// late ("utom vid semester, tjänsteresa och liknande").
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/index.js';
import { availableAt, awayAt } from '../support/board-page.js';
import { liveBoardPage, type OpenBoard, openBoard } from '../support/open-board.js';

const ORG = 'falkenberg';
const NOW = Date.now();
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

const person = (ext: string, name: string): Message => ({
  kind: 'directory-person',
  org: ORG,
  ext,
  body: { v: 1, name, department: 'kc' },
});
const voicemail = (ext: string, oldestSince: number): Message => ({
  kind: 'voicemail',
  org: ORG,
  ext,
  body: { v: 1, count: 2, oldestSince: iso(oldestSince) },
});

const DIRECTORY: Message[] = [
  {
    kind: 'directory-org',
    org: ORG,
    body: {
      v: 1,
      name: 'Falkenbergs kommun',
      timeZone: 'Europe/Stockholm',
      locale: 'sv',
      workday: { from: '08:00', to: '17:00' },
      onReturn: 'overdue',
      callback: 'same-day',
      // every day a working day: the test's "a week ago" is late whatever weekday it runs on
      workdays: [1, 2, 3, 4, 5, 6, 7],
    },
  },
  {
    kind: 'directory-department',
    org: ORG,
    departmentId: 'kc',
    body: { v: 1, name: 'Kontaktcenter', phoneHours: [], mustAnswer: false },
  },
  person('3101', 'Karin Ek'),
  person('3102', 'Lars Holm'),
  person('3103', 'Maja Berg'),
  { kind: 'presence', org: ORG, ext: '3101', body: availableAt(NOW, 1) },
  { kind: 'presence', org: ORG, ext: '3102', body: availableAt(NOW, 1) },
  // on a trip until well after the deadline: her voicemail waits for her return
  {
    kind: 'presence',
    org: ORG,
    ext: '3103',
    body: awayAt(NOW, 1, 'trip', Math.ceil((NOW + 3 * DAY) / 60_000) * 60_000),
  },
  {
    kind: 'mwi-message',
    org: ORG,
    ext: '3101',
    messageId: 'm1',
    body: {
      v: 1,
      message: {
        id: 'm1',
        at: iso(NOW - 2 * DAY),
        from: 'Per',
        text: 'Ring om bygglovet',
        callbackBy: iso(NOW - DAY),
      },
    },
  },
  voicemail('3102', NOW - 7 * DAY),
  voicemail('3103', NOW - 10 * 60_000),
];

describe('late callbacks per department, in Chromium', () => {
  let site: OpenBoard;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    site = await openBoard(DIRECTORY);
    page = await liveBoardPage(site, problems);
  });

  afterAll(async () => {
    await site?.close();
    expect(problems).toEqual([]);
  });

  it('lists the late message and the old voicemail, not the traveller', async () => {
    await page.keyboard.type('kontaktcenter');
    await page.locator('[data-testid="dept-row"]:not([hidden])').waitFor();
    await page.keyboard.press('Enter');
    const late = page.getByTestId('dept-late-list');
    await expect
      .poll(() => late.locator('[data-testid="dept-person"] b').allTextContents())
      .toEqual(['Karin Ek', 'Lars Holm']);
    const said = await late.locator('small').allTextContents();
    expect(said[0]).toBe('1 meddelanden efter tiden');
    expect(said[1]).toMatch(/^röstbrevlåda sedan \d+\/\d+ \d\d:\d\d$/);
    await page.screenshot({ path: 'test-results/board-late-callbacks.png' });
  });
});
