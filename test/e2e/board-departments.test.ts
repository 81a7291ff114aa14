// The department panel in a real headless Chromium, against Mosquitto and the board behind its login:
// opened by keyboard only (type, arrows, Enter), who is in and the next person back, a presence change
// moving someone while the panel is open, the alarm and why, two organisations each with its own
// greeting in the person and department panels, a viewer seeing no reasons or notes, Danish and
// English. Screenshots go to test-results/.
import { mkdirSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message, OrgInfo } from '../../protocol/index.js';
import { createAuth } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { publishMessage } from '../../switchboard/publish.js';
import { availableAt, awayAt, boardUsers, logIn, tabTo } from '../support/board-page.js';
import { launchChromium } from '../support/browser.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

// 10:30 UTC on a Monday is 11:30 in Stockholm, within Bygglov's phone hours.
const NOW = Date.parse('2026-11-23T10:30:00.000Z');
const MIN = 60_000;
const GRASTORP_GREETING = 'Välkommen till Grästorps kommun, du talar med …';
const MALA_GREETING = 'Malå kommun, god dag, vad kan jag hjälpa till med?';

const org = (id: string, name: string, greeting: string, more: Partial<OrgInfo> = {}): Message => ({
  kind: 'directory-org',
  org: id,
  body: {
    v: 1,
    name,
    greeting,
    timeZone: 'Europe/Stockholm',
    locale: 'sv',
    workday: { from: '08:00', to: '17:00' },
    onReturn: 'overdue',
    callback: 'next-working-day',
    ...more,
  },
});
const weekdays = [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '16:00' }];
const person = (o: string, ext: string, name: string, department: string): Message => ({
  kind: 'directory-person',
  org: o,
  ext,
  body: { v: 1, name, department },
});
const presence = (o: string, ext: string, body: ReturnType<typeof awayAt>): Message => ({
  kind: 'presence',
  org: o,
  ext,
  body,
});

const DIRECTORY: Message[] = [
  org('grastorp', 'Grästorps kommun', GRASTORP_GREETING, {
    onCall: [
      { department: 'bygg', label: 'Byggjouren', number: '0514-58100' },
      { department: 'social', label: 'Socialjouren', number: '0514-58000' },
      { label: 'Växeln', number: '0514-58200' },
    ],
  }),
  org('mala', 'Malå kommun', MALA_GREETING),
  {
    kind: 'directory-department',
    org: 'grastorp',
    departmentId: 'bygg',
    body: { v: 1, name: 'Bygglov', queue: 'bygg', phoneHours: weekdays, mustAnswer: false },
  },
  {
    kind: 'directory-department',
    org: 'grastorp',
    departmentId: 'social',
    body: { v: 1, name: 'Socialtjänsten', phoneHours: weekdays, mustAnswer: false },
  },
  // Högsby's rule: someone must always answer (no phone hours: always)
  {
    kind: 'directory-department',
    org: 'mala',
    departmentId: 'jour',
    body: { v: 1, name: 'Socialjouren', phoneHours: [], mustAnswer: true },
  },
  {
    kind: 'queue',
    org: 'grastorp',
    queueId: 'bygg',
    body: {
      v: 1,
      name: 'Bygglov',
      waiting: 3,
      oldestSince: new Date(NOW - 95_000).toISOString(),
      at: new Date(NOW).toISOString(),
    },
  },
  person('grastorp', '2101', 'Anna Berg', 'social'),
  person('grastorp', '2102', 'Bertil Åberg', 'bygg'),
  person('grastorp', '2103', 'Cecilia Lund', 'bygg'),
  person('grastorp', '2106', 'Gustav Holm', 'bygg'),
  person('mala', '3101', 'Nils Malm', 'jour'),
  presence('grastorp', '2101', availableAt(NOW, 1)),
  presence('grastorp', '2102', awayAt(NOW, 1, 'lunch', NOW + 45 * MIN)),
  presence('grastorp', '2103', awayAt(NOW, 1, 'meeting', NOW - 10 * MIN)),
  presence('grastorp', '2106', awayAt(NOW, 1, 'sick', null, { note: 'Magsjuk, hemma hela veckan' })),
  presence('mala', '3101', awayAt(NOW, 1, 'sick', null)),
];

describe('department panel in Chromium', () => {
  let mosquitto: Mosquitto;
  let client: MqttClient;
  let board: Board;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let page: Page; // the operator's
  const problems: string[] = [];

  const panel = () => page.getByTestId('dept-panel');
  const names = (p: Page, list: string) =>
    p.getByTestId(list).locator('[data-testid="dept-person"] b').allTextContents();

  /** A page in a context of its own (its own session cookie). */
  async function newPage(): Promise<Page> {
    const c = await browser.newContext({ viewport: { width: 1440, height: 800 } });
    contexts.push(c);
    const p = await c.newPage();
    p.setDefaultTimeout(10_000);
    await p.clock.setFixedTime(NOW);
    p.on('pageerror', (e) => problems.push(e.message));
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    return p;
  }

  beforeAll(async () => {
    mkdirSync('test-results', { recursive: true });
    mosquitto = await startMosquitto();
    client = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4, reconnectPeriod: 0 });
    for (const m of DIRECTORY) await publishMessage(client, m);
    const auth = createAuth({ users: await boardUsers('*') });
    board = await startBoard({ brokerUrl: mosquitto.url, port: 0, auth });
    await board.session.ready;
    browser = await launchChromium();
    page = await newPage();
    await logIn(page, board.url, 'olle');
  });

  // any script error on a page fails the test that caused it
  afterEach(() => {
    expect(problems.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await client?.endAsync(true);
    await board?.close();
    await mosquitto?.dispose();
  });

  it('opens by keyboard only: who is in, the next person back first, the queue and the alarm', async () => {
    await page.keyboard.type('bygg');
    // the department is offered above its people, and selected first
    const result = page.locator('[data-testid="dept-row"]:not([hidden])');
    await expect.poll(() => result.locator('.name').allTextContents()).toEqual(['Bygglov']);
    expect(await result.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await result.getAttribute('aria-selected')).toBe('false');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await panel().waitFor();
    expect(await panel().getByTestId('dept-panel-name').textContent()).toBe('Bygglov');
    expect(await panel().locator('[data-testid="panel-org"] b').textContent()).toBe('Grästorps kommun');
    expect(await panel().getByTestId('panel-greeting').textContent()).toBe(GRASTORP_GREETING);
    expect(await panel().getByTestId('dept-today').textContent()).toBe('08:00–16:00 · öppet nu');
    expect(await panel().getByTestId('dept-week').textContent()).toBe('mån–fre 08:00–16:00');
    expect(await panel().getByTestId('dept-queue').textContent()).toBe('3 väntar · längst 1:35');
    expect(await panel().getByTestId('dept-panel-alarm').textContent()).toBe(
      'Hela avdelningen borta: alla med känt läge är borta under telefontiden',
    );
    // the organisation's on-call numbers for this department, and those for every department
    expect(await panel().getByTestId('dept-on-call').textContent()).toBe(
      'Jour: Byggjouren 0514-58100, Växeln 0514-58200',
    );
    expect(await names(page, 'dept-in-list')).toEqual([]);
    // by return: the next back first, then the overdue, then until further notice
    expect(await names(page, 'dept-away-list')).toEqual(['Bertil Åberg', 'Cecilia Lund', 'Gustav Holm']);
    expect(await panel().getByTestId('dept-away-list').locator('small').allTextContents()).toEqual([
      'Lunch · tillbaka 12:15',
      expect.stringMatching(/^Sammanträde · försenad 10 min, skulle åter \d\d:\d\d$/),
      'Sjuk · tills vidare',
    ]);
    expect(await panel().getByTestId('dept-next-back').textContent()).toBe('Bertil Åberg 12:15');
    expect(await page.getByTestId('detail').isHidden()).toBe(true);
    await page.screenshot({ path: 'test-results/board-department.png' });

    // Tab into the panel, arrow to a person, Enter opens them; Esc goes back to the search
    await tabTo(page, 'dept-person');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('detail-name').textContent()).toBe('Cecilia Lund');
    await expect.poll(() => panel().isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('search').inputValue()).toBe('');
  });

  it('starts a new search at its first hit, even when the person selected before is among the hits', async () => {
    await page.keyboard.type('cecilia');
    const cecilia = page.locator('[data-testid="row"]:not([hidden])', { hasText: 'Cecilia Lund' });
    await expect.poll(() => cecilia.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Escape'); // no panel open: clears the search, Cecilia stays selected
    await page.keyboard.type('bygglov'); // Cecilia works there: she is a hit, below the department
    const result = page.locator('[data-testid="dept-row"]:not([hidden])');
    await expect.poll(() => result.getAttribute('aria-selected')).toBe('true');
    expect(await cecilia.getAttribute('aria-selected')).toBe('false');
    await page.keyboard.press('Enter');
    await expect.poll(() => panel().getByTestId('dept-panel-name').textContent()).toBe('Bygglov');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  });

  it('department results shift the people below them; a row hidden again names nobody', async () => {
    await page.keyboard.type('b'); // Bygglov above its three people and Anna Berg
    const shown = page.locator('[data-testid="row"]:not([hidden])');
    await expect.poll(() => page.locator('[data-testid="dept-row"]:not([hidden])').count()).toBe(1);
    await expect.poll(() => shown.count()).toBe(4);
    await page.keyboard.type('erg'); // Anna Berg, Bertil Åberg: no department now
    await expect.poll(() => page.locator('[data-testid="dept-row"]:not([hidden])').count()).toBe(0);
    expect(await page.locator('[data-testid="row"][data-ext="2102"]').count()).toBe(1);
    await page.keyboard.press('Escape');
  });

  it('follows a presence change while open: away to in, the alarm clears, without redrawing the list', async () => {
    await page.locator('[data-testid="department"][data-id="grastorp/bygg"]').click();
    await panel().waitFor();
    const listRow = await page.locator('[data-testid="row"][data-ext="2102"]').elementHandle();
    await publishMessage(client, presence('grastorp', '2102', availableAt(NOW, 2)));
    await expect.poll(() => names(page, 'dept-in-list')).toEqual(['Bertil Åberg']);
    expect(await names(page, 'dept-away-list')).toEqual(['Cecilia Lund', 'Gustav Holm']);
    expect(await panel().getByTestId('dept-panel-alarm').count()).toBe(0);
    // nobody has a return time still ahead
    expect(await panel().getByTestId('dept-next-back').count()).toBe(0);
    // the list's row element for Bertil was rewritten in place, not replaced
    expect(await listRow?.evaluate((el) => el.isConnected && (el as HTMLElement).dataset.state)).toBe(
      'available',
    );

    await publishMessage(client, presence('grastorp', '2102', awayAt(NOW, 3, 'lunch', NOW + 45 * MIN)));
    await expect
      .poll(() => names(page, 'dept-away-list'))
      .toEqual(['Bertil Åberg', 'Cecilia Lund', 'Gustav Holm']);
    await expect.poll(() => panel().getByTestId('dept-panel-alarm').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => panel().isHidden()).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('two organisations: the person and the department panel each show their own greeting', async () => {
    await page.keyboard.type('nils');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('detail-name').textContent()).toBe('Nils Malm');
    const detail = page.getByTestId('detail');
    expect(await detail.locator('[data-testid="panel-org"] b').textContent()).toBe('Malå kommun');
    expect(await detail.getByTestId('panel-greeting').textContent()).toBe(MALA_GREETING);
    // the person's department is a button away
    await tabTo(page, 'detail-dept');
    await page.keyboard.press('Enter');
    await panel().waitFor();
    expect(await panel().getByTestId('dept-panel-name').textContent()).toBe('Socialjouren');
    expect(await panel().getByTestId('panel-greeting').textContent()).toBe(MALA_GREETING);
    expect(await panel().getByTestId('dept-panel-alarm').textContent()).toBe(
      'Ingen kan svara: måste alltid svara och ingen är tillgänglig',
    );
    expect(await panel().getByTestId('dept-must').textContent()).toBe('täcks av ingen');
    expect(await panel().getByTestId('dept-today').textContent()).toBe('inga telefontider');
    await page.screenshot({ path: 'test-results/board-department-must-answer.png' });
    await page.keyboard.press('Escape');

    // the other organisation's person: the other greeting
    await page.keyboard.press('Escape');
    await page.keyboard.type('anna');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('detail-name').textContent()).toBe('Anna Berg');
    expect(await detail.getByTestId('panel-greeting').textContent()).toBe(GRASTORP_GREETING);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  });

  it('a viewer sees no private reasons and no notes in the panel', async () => {
    const viewer = await newPage();
    try {
      await logIn(viewer, board.url, 'vera');
      await viewer.keyboard.type('bygglov');
      await viewer.keyboard.press('Enter');
      await viewer.getByTestId('dept-panel').waitFor();
      expect(await viewer.getByTestId('dept-away-list').locator('small').allTextContents()).toEqual([
        'Lunch · tillbaka 12:15',
        expect.stringMatching(/^Sammanträde · försenad 10 min, skulle åter \d\d:\d\d$/),
        'Borta · tills vidare',
      ]);
      const text = (await viewer.getByTestId('dept-panel').textContent()) ?? '';
      expect(text).not.toMatch(/Sjuk|Magsjuk/);
      // the operator's panel shows the reason (never the note: the panel is no place for it)
      await page.keyboard.type('bygglov');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => panel().getByTestId('dept-away-list').locator('small').last().textContent())
        .toBe('Sjuk · tills vidare');
      expect(await panel().textContent()).not.toContain('Magsjuk');
      await viewer.screenshot({ path: 'test-results/board-department-viewer.png' });
    } finally {
      await viewer.close();
    }
  });

  it('speaks English and Danish', async () => {
    await page.getByTestId('langs').getByRole('button', { name: 'en', exact: true }).click();
    await expect
      .poll(() => panel().getByTestId('dept-panel-alarm').textContent())
      .toBe('Whole department away: everyone whose state is known is away during phone hours');
    expect(await panel().getByTestId('dept-today').textContent()).toBe('08:00–16:00 · open now');
    expect(await panel().getByTestId('dept-week').textContent()).toBe('Mon–Fri 08:00–16:00');
    expect(await panel().getByTestId('dept-queue').textContent()).toBe('3 waiting · longest 1:35');
    // the operator's department referral (issue 23) closes the panel
    expect(await panel().locator('h3').allTextContents()).toEqual([
      'In 0/3',
      'Away',
      'Refer the whole department',
    ]);
    expect(await panel().getByTestId('dept-next-back').textContent()).toBe('Bertil Åberg 12:15');
    await page.getByTestId('langs').getByRole('button', { name: 'da', exact: true }).click();
    await expect
      .poll(() => panel().getByTestId('dept-panel-alarm').textContent())
      .toBe('Hele afdelingen væk: alle med kendt status er væk i telefontiden');
    expect(await panel().locator('h3').allTextContents()).toEqual([
      'Inde 0/3',
      'Væk',
      'Omstil hele afdelingen',
    ]);
    expect(await panel().getByTestId('dept-away-list').locator('small').first().textContent()).toBe(
      'Frokost · tilbage 12:15',
    );
    await page.screenshot({ path: 'test-results/board-department-da.png' });
    await page.getByTestId('langs').getByRole('button', { name: 'sv', exact: true }).click();
  });
});
