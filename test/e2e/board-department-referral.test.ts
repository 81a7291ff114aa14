// Issue 23, SAMSA §6 ("Om hela avdelningen lämnas obemannad skall alla telefoner hänvisas och
// växelpersonalen skall meddelas. Lämna gärna ett nummer till växeln som kan nås vid nödläge"): from
// the department panel in Chromium, one action refers everyone in the department with a note and the
// emergency number, and Undo gives each person back the referral they had.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/index.js';
import { availableAt, awayAt, swedishOrg } from '../support/board-page.js';
import { liveBoardPage, type OpenBoard, openBoard } from '../support/open-board.js';

const ORG = 'grastorp';
const NOW = Date.now();
const MIN = 60_000;

const person = (ext: string, name: string, department: string): Message => ({
  kind: 'directory-person',
  org: ORG,
  ext,
  body: { v: 1, name, department },
});
const LUNCH = awayAt(NOW, 3, 'lunch', Math.ceil((NOW + 45 * MIN) / MIN) * MIN, {
  alt: { kind: 'forward', to: '2101' },
});

const DIRECTORY: Message[] = [
  { kind: 'directory-org', org: ORG, body: swedishOrg('Grästorps kommun', { callback: 'next-working-day' }) },
  {
    kind: 'directory-department',
    org: ORG,
    departmentId: 'bygg',
    body: { v: 1, name: 'Bygglov', phoneHours: [], mustAnswer: false },
  },
  {
    kind: 'directory-department',
    org: ORG,
    departmentId: 'social',
    body: { v: 1, name: 'Socialtjänsten', phoneHours: [], mustAnswer: false },
  },
  person('2101', 'Anna Berg', 'social'),
  person('2102', 'Bertil Åberg', 'bygg'),
  person('2103', 'Cecilia Lund', 'bygg'),
  { kind: 'presence', org: ORG, ext: '2101', body: availableAt(NOW, 1) },
  { kind: 'presence', org: ORG, ext: '2102', body: LUNCH },
  { kind: 'presence', org: ORG, ext: '2103', body: availableAt(NOW, 1) },
];

describe('a whole department referred at once, in Chromium', () => {
  let site: OpenBoard;
  let page: Page;
  const problems: string[] = [];
  const presence = (ext: string) => site.board.model.currentPresence(ORG, ext);

  beforeAll(async () => {
    site = await openBoard(DIRECTORY);
    page = await liveBoardPage(site, problems);
  });

  afterAll(async () => {
    await site?.close();
    expect(problems).toEqual([]);
  });

  it('refers everyone in the department with a note and the emergency number, and undoes it', async () => {
    await page.keyboard.type('bygglov');
    await page.locator('[data-testid="dept-row"]:not([hidden])').waitFor();
    await page.keyboard.press('Enter');
    const form = page.getByTestId('dept-act');
    await form.waitFor();
    await form.getByTestId('dept-act-reason').selectOption('meeting');
    await form.getByTestId('dept-act-note').fill('Studiedag, tillbaka i morgon');
    await form.getByTestId('dept-act-emergency').fill('070-123 45 67');
    await form.getByTestId('dept-act-send').click();
    for (const ext of ['2102', '2103'])
      await expect
        .poll(() => presence(ext))
        .toMatchObject({
          status: 'away',
          reason: 'meeting',
          note: 'Studiedag, tillbaka i morgon',
          alt: { kind: 'info', text: '070-123 45 67' },
          by: { kind: 'operator' },
        });
    // the department's people only
    expect(presence('2101')).toMatchObject({ status: 'available', seq: 1 });
    await expect.poll(() => form.getByTestId('dept-act-undo-box').textContent()).toMatch(/^2 hänvisade/);
    await page.screenshot({ path: 'test-results/board-department-referral.png' });

    await form.getByTestId('dept-act-undo').click();
    await expect.poll(() => presence('2103')).toMatchObject({ status: 'available', reason: null, alt: null });
    await expect
      .poll(() => presence('2102'))
      .toMatchObject({
        status: 'away',
        reason: 'lunch',
        until: LUNCH.until,
        alt: { kind: 'forward', to: '2101' },
      });
    expect(presence('2102')?.note).toBeUndefined();
    await expect
      .poll(() => form.getByTestId('dept-act-undo-box').locator('span').textContent())
      .toBe('2 tillbaka som förut');
  });
});
