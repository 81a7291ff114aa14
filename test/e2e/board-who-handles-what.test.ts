// Issue 23, "who handles what" (Guldborgsund's "vidensdatabase"; Högsby: "felringda samtal till rätt
// handläggare") and numbers with rules (SAMSA §4.2/§8: on mobile extension the extension is the
// mobile number, and the operator says so), in Chromium: searching "bygglov" finds the officer whose
// keywords say "Bygglov" (accents folded as everywhere), and the details show what they handle, the
// OE flag, each number with whom it may be given to, and the department's notice, which search reads
// too.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/index.js';
import { availableAt, swedishOrg } from '../support/board-page.js';
import { liveBoardPage, type OpenBoard, openBoard } from '../support/open-board.js';

const ORG = 'grastorp';
const NOW = Date.now();

const DIRECTORY: Message[] = [
  { kind: 'directory-org', org: ORG, body: swedishOrg('Grästorps kommun', { callback: 'next-working-day' }) },
  {
    kind: 'directory-department',
    org: ORG,
    departmentId: 'sbf',
    body: {
      v: 1,
      name: 'Samhällsbyggnad',
      phoneHours: [],
      mustAnswer: false,
      notice: 'Från 1 december svarar Sven på alla frågor om strandskydd',
    },
  },
  {
    kind: 'directory-person',
    org: ORG,
    ext: '4711',
    body: {
      v: 1,
      name: 'Sven Andersson',
      department: 'sbf',
      title: 'Handläggare',
      direct: '0514-58011',
      mobile: '070-111 22 33',
      mobileExtension: true,
      visibility: { direct: 'partners' },
      keywords: ['Bygglov', 'Strandskydd', 'Detaljplan'],
    },
  },
  {
    kind: 'directory-person',
    org: ORG,
    ext: '4712',
    body: { v: 1, name: 'Anna Berg', department: 'sbf', title: 'Handläggare', keywords: ['Miljötillsyn'] },
  },
  { kind: 'presence', org: ORG, ext: '4711', body: availableAt(NOW, 1) },
  { kind: 'presence', org: ORG, ext: '4712', body: availableAt(NOW, 1) },
];

describe('who handles what, in Chromium', () => {
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

  const hits = () =>
    page
      .locator('[data-testid="row"]:not([hidden])')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.ext));

  it('finds the officer by what they handle, and shows it with their numbers and the OE flag', async () => {
    await page.keyboard.type('bygglov');
    await expect.poll(hits).toEqual(['4711']);
    // folded as the rest of the search: "miljotillsyn" finds "Miljötillsyn"
    await page.getByTestId('search').fill('miljotillsyn');
    await expect.poll(hits).toEqual(['4712']);
    await page.getByTestId('search').fill('strandskydd');
    await expect.poll(hits).toEqual(['4711']);
    // the department whose notice says it is offered above (Falkenberg: changes told in time)
    const dept = page.locator('[data-testid="dept-row"]:not([hidden])');
    await expect.poll(() => dept.locator('.name').allTextContents()).toEqual(['Samhällsbyggnad']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('detail-name').textContent()).toBe('Sven Andersson');
    expect(await page.getByTestId('detail-keywords').textContent()).toBe('Bygglov, Strandskydd, Detaljplan');
    expect(await page.getByTestId('detail-ext').textContent()).toBe(
      '4711 · mobilanknytning: anknytningen är mobilnumret',
    );
    expect(await page.getByTestId('detail-direct').textContent()).toBe(
      '0514-58011 · endast till samarbetspartner',
    );
    expect(await page.getByTestId('detail-mobile').textContent()).toBe('070-111 22 33 · endast internt');
    expect(await page.getByTestId('detail-dept-notice').textContent()).toBe(
      'Från 1 december svarar Sven på alla frågor om strandskydd',
    );
    await page.screenshot({ path: 'test-results/board-who-handles-what.png' });
  });
});
