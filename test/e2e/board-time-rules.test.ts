// Issue 23 on the board, in Chromium: the rules of days, hours, queues and desks as the operator sees
// them. A listed holiday is no phone-hours day (no alarm, "stängt · helgdag"); the queue chip turns
// red at the one queue threshold (the queue's own, else the organisation's) and the panel lists the
// calls by position; a desk online with its key panel unplugged says so instead of "ansluten"; only
// the on-call numbers in force are shown, with the after-hours message (New Year's Eve); staggered
// personal phone hours raise the all-away alarm and shape the coverage forecast.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message, OrgInfo } from '../../protocol/index.js';
import { availableAt, awayAt } from '../support/board-page.js';
import { assign } from '../support/device-fixture.js';
import { type OpenBoard, openBoard } from '../support/open-board.js';

// 10:30 UTC on Monday 23 November 2026: 11:30 in Stockholm, inside weekday phone hours
const NOW = Date.parse('2026-11-23T10:30:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const WEEKDAYS = [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '16:00' }];

const org = (id: string, name: string, more: Partial<OrgInfo> = {}): Message => ({
  kind: 'directory-org',
  org: id,
  body: {
    v: 1,
    name,
    timeZone: 'Europe/Stockholm',
    locale: 'sv',
    workday: { from: '08:00', to: '17:00' },
    onReturn: 'overdue',
    callback: 'next-working-day',
    ...more,
  },
});
const department = (o: string, id: string, name: string, queue?: string): Message => ({
  kind: 'directory-department',
  org: o,
  departmentId: id,
  body: { v: 1, name, phoneHours: WEEKDAYS, mustAnswer: false, ...(queue ? { queue } : {}) },
});
const queue = (o: string, id: string, waitedSeconds: number, alarmSeconds?: number): Message => ({
  kind: 'queue',
  org: o,
  queueId: id,
  body: {
    v: 1,
    waiting: 1,
    oldestSince: iso(NOW - waitedSeconds * 1000),
    at: iso(NOW),
    ...(alarmSeconds ? { alarmSeconds } : {}),
  },
});
const person = (o: string, ext: string, name: string, dept: string): Message => ({
  kind: 'directory-person',
  org: o,
  ext,
  body: { v: 1, name, department: dept },
});
const desk = (o: string, id: string, ext: string, panelConnected: boolean): Message => ({
  kind: 'device-state',
  org: o,
  deviceId: id,
  body: { v: 1, online: true, ext, panelConnected },
});

const DIRECTORY: Message[] = [
  // the organisation's threshold is 2 minutes; Bygglov's queue says 1 minute of its own
  org('grastorp', 'Grästorps kommun', { queueAlarmSeconds: 120 }),
  department('grastorp', 'bygg', 'Bygglov', 'bygg'),
  department('grastorp', 'social', 'Socialtjänsten', 'social'),
  {
    kind: 'queue',
    org: 'grastorp',
    queueId: 'bygg',
    body: {
      v: 1,
      waiting: 2,
      oldestSince: iso(NOW - 95_000),
      at: iso(NOW),
      alarmSeconds: 60,
      // out of order on purpose: the board lists them by position
      calls: [
        { id: 'c2', position: 2, since: iso(NOW - 30_000) },
        { id: 'c1', position: 1, since: iso(NOW - 95_000) },
      ],
    },
  },
  queue('grastorp', 'social', 95),
  person('grastorp', '2101', 'Anna Berg', 'social'),
  person('grastorp', '2102', 'Bertil Åberg', 'bygg'),
  { kind: 'presence', org: 'grastorp', ext: '2101', body: availableAt(NOW, 1) },
  { kind: 'presence', org: 'grastorp', ext: '2102', body: availableAt(NOW, 1) },
  assign('grastorp', 'desk-a', '2101'),
  assign('grastorp', 'desk-b', '2102'),
  desk('grastorp', 'desk-a', '2101', false),
  desk('grastorp', 'desk-b', '2102', true),
  // Essunga takes today off (a local extra day): everyone away is no alarm
  org('essunga', 'Essunga kommun', { holidays: ['2026-11-23'] }),
  department('essunga', 'miljo', 'Miljö'),
  person('essunga', '3101', 'Cia Holm', 'miljo'),
  { kind: 'presence', org: 'essunga', ext: '3101', body: awayAt(NOW, 1, 'vacation', NOW + 24 * 60 * MIN) },
  // Kalmar: a daytime number in working hours, the social on-call after hours (and on holidays)
  org('kalmar', 'Kalmar kommun', {
    holidays: ['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31', '2027-01-01'],
    afterHours: 'Växeln är stängd. Vid akuta ärenden ring Socialjouren.',
    onCall: [
      { department: 'soc', label: 'Socialtjänsten', number: '0480-45 00 00', hours: 'working-hours' },
      { department: 'soc', label: 'Socialjouren', number: '0480-45 11 11', hours: 'after-hours' },
      { label: 'Snövakten', number: '0480-45 22 22', from: '2026-12-01', to: '2027-03-31' },
    ],
  }),
  department('kalmar', 'soc', 'Socialtjänsten Kalmar'),
  // staggered phone hours (SAMSA §7): both available, neither in their own hours at 11:30
  department('grastorp', 'ekonomi', 'Ekonomi'),
  {
    kind: 'directory-person',
    org: 'grastorp',
    ext: '2201',
    body: {
      v: 1,
      name: 'Eva Lind',
      department: 'ekonomi',
      phoneHours: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '11:00' }],
    },
  },
  {
    kind: 'directory-person',
    org: 'grastorp',
    ext: '2202',
    body: {
      v: 1,
      name: 'Filip Nord',
      department: 'ekonomi',
      phoneHours: [{ days: [1, 2, 3, 4, 5], from: '13:00', to: '16:00' }],
    },
  },
  { kind: 'presence', org: 'grastorp', ext: '2201', body: availableAt(NOW, 1) },
  { kind: 'presence', org: 'grastorp', ext: '2202', body: availableAt(NOW, 1) },
  person('kalmar', '4101', 'Dan Ström', 'soc'),
  { kind: 'presence', org: 'kalmar', ext: '4101', body: awayAt(NOW, 1, 'meeting', null) },
];

describe('days, hours, queues and desks on the board (issue 23)', () => {
  let site: OpenBoard;
  let page: Page;
  const problems: string[] = [];
  const chip = (name: string) => page.locator('[data-testid="department"]', { hasText: name });
  const row = (ext: string) => page.locator(`[data-testid="row"][data-ext="${ext}"]`);

  beforeAll(async () => {
    site = await openBoard(DIRECTORY);
    page = await site.browser.newPage({ locale: 'sv-SE', viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => problems.push(e.message));
    await page.clock.setFixedTime(NOW);
    await page.goto(site.board.url);
    await page.locator('[data-testid="conn"][data-state="live"]').waitFor();
    await chip('Miljö').waitFor();
  });
  afterEach(() => {
    expect(problems.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await site?.close();
  });

  it("turns a queue red at its own threshold, else at the organisation's (never a fixed 20 s)", async () => {
    // both have waited 1:35: Bygglov's own 60 s is passed, Grästorp's 120 s is not
    await expect.poll(() => chip('Bygglov').getByTestId('queue').getAttribute('data-level')).toBe('long');
    expect(await chip('Socialtjänsten').getByTestId('queue').getAttribute('data-level')).toBe('busy');
  });

  it('lists the waiting calls by position, each with its wait, red past the threshold (Guldborgsund)', async () => {
    await chip('Bygglov').click();
    // Bertil is available with no hours of his own: covered for the rest of the day
    await expect
      .poll(() => page.getByTestId('dept-panel').getByTestId('dept-forecast').textContent())
      .toBe('bemannat resten av dagen');
    const calls = page.getByTestId('dept-panel').getByTestId('dept-queue-calls').locator('li');
    await expect.poll(() => calls.allTextContents()).toEqual(['nr 1 · väntat 1:35', 'nr 2 · väntat 0:30']);
    expect(await calls.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.level))).toEqual([
      'long',
      'busy',
    ]);
    // the panel closes, then the search the chip filled is cleared
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  });

  it("counts a calendar's next absence in the forecast: a meeting from 13:00 leaves Bygglov empty then", async () => {
    const calendar = (next?: { from: string; to: string }): Message => ({
      kind: 'calendar-status',
      org: 'grastorp',
      ext: '2102',
      body: {
        v: 1,
        ok: true,
        at: iso(NOW),
        lastGood: iso(NOW),
        failures: 0,
        ...(next ? { next: { ...next, reason: 'meeting' } } : {}),
      },
    });
    // 12:00–13:00 UTC is 13:00–14:00 in Stockholm, inside Bygglov's phone hours
    await site.publish([calendar({ from: '2026-11-23T12:00:00.000Z', to: '2026-11-23T13:00:00.000Z' })]);
    await chip('Bygglov').click();
    const forecast = page.getByTestId('dept-panel').getByTestId('dept-forecast');
    await expect.poll(() => forecast.textContent()).toBe('ingen inne 13:00–14:00');
    await site.publish([calendar()]);
    await expect.poll(() => forecast.textContent()).toBe('bemannat resten av dagen');
    // the panel closes, then the search the chip filled is cleared
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  });

  it('a desk online with its key panel unplugged says so, in the row and the details', async () => {
    await expect.poll(() => row('2101').getByTestId('desk-state').textContent()).toBe('knappanel urkopplad');
    expect(await row('2102').getByTestId('desk-state').textContent()).toBe('ansluten');
    await row('2101').click();
    const deskItem = page.locator('[data-testid="detail"] dt:text-is("Bordsenhet") + dd');
    await expect.poll(() => deskItem.textContent()).toBe('knappanel urkopplad');
    // plugged back in: online again, without a reload
    await site.publish([desk('grastorp', 'desk-a', '2101', true)]);
    await expect.poll(() => row('2101').getByTestId('desk-state').textContent()).toBe('ansluten');
    await expect.poll(() => deskItem.textContent()).toBe('ansluten');
    await page.keyboard.press('Escape');
  });

  it('a listed holiday has no phone hours: no alarm with everyone away, and the panel says why', async () => {
    expect(await chip('Miljö').getAttribute('data-alarm')).toBeNull();
    expect(await chip('Miljö').getAttribute('data-closed')).toBe('true');
    await chip('Miljö').click();
    const panel = page.getByTestId('dept-panel');
    await expect.poll(() => panel.getByTestId('dept-today').textContent()).toBe('stängt · helgdag');
    expect(await panel.getByTestId('dept-panel-alarm').count()).toBe(0);
    await page.screenshot({ path: 'test-results/board-holiday.png' });
  });

  it('shows only the on-call numbers in force: the daytime number in office hours, no snow watch in November', async () => {
    await page.keyboard.press('Escape');
    await chip('Socialtjänsten Kalmar').click();
    const panel = page.getByTestId('dept-panel');
    await expect.poll(() => panel.getByTestId('dept-panel-name').textContent()).toBe('Socialtjänsten Kalmar');
    expect(await panel.getByTestId('dept-on-call').textContent()).toBe('Jour: Socialtjänsten 0480-45 00 00');
    // in phone hours: no after-hours message
    expect(await panel.getByTestId('dept-after-hours').count()).toBe(0);
  });

  it('staggered phone hours (SAMSA §7): everyone available but none in their own hours is the all-away alarm', async () => {
    await page.keyboard.press('Escape');
    expect(await chip('Ekonomi').getAttribute('data-alarm')).toBe('all-away');
    expect(await chip('Ekonomi').getByTestId('dept-in').textContent()).toBe('2/2 inne');
    await chip('Ekonomi').click();
    const panel = page.getByTestId('dept-panel');
    await expect
      .poll(() => panel.getByTestId('dept-person-hours').allTextContents())
      .toEqual(['egen telefontid 08:00–11:00', 'egen telefontid 13:00–16:00']);
    expect(await panel.getByTestId('dept-panel-alarm').textContent()).toBe(
      'Hela avdelningen borta: de som är inne har inte telefontid nu',
    );
    // the coverage forecast: nobody until Filip's hours begin, then covered to the end of phone hours
    expect(await panel.getByTestId('dept-forecast').textContent()).toBe('ingen inne 11:30–13:00');
    await page.keyboard.press('Escape');
    await row('2201').click();
    const own = page.locator('[data-testid="detail"] dt:text-is("Egen telefontid") + dd');
    await expect.poll(() => own.textContent()).toBe('mån–fre 08:00–11:00');
    await page.keyboard.press('Escape');
  });

  it("New Year's Eve (the Kalmar case): the social on-call and the after-hours message, never the closed office", async () => {
    const eve = await site.browser.newPage({ locale: 'sv-SE', viewport: { width: 1440, height: 900 } });
    eve.on('pageerror', (e) => problems.push(e.message));
    // 11:00 on Thursday 31 December 2026
    await eve.clock.setFixedTime(Date.parse('2026-12-31T10:00:00.000Z'));
    await eve.goto(site.board.url);
    await eve.locator('[data-testid="conn"][data-state="live"]').waitFor();
    await eve.locator('[data-testid="department"]', { hasText: 'Socialtjänsten Kalmar' }).click();
    const panel = eve.getByTestId('dept-panel');
    await expect.poll(() => panel.getByTestId('dept-today').textContent()).toBe('stängt · helgdag');
    expect(await panel.getByTestId('dept-on-call').textContent()).toBe(
      'Jour: Socialjouren 0480-45 11 11, Snövakten 0480-45 22 22',
    );
    expect(await panel.getByTestId('dept-after-hours').textContent()).toBe(
      'Växeln är stängd. Vid akuta ärenden ring Socialjouren.',
    );
    await eve.screenshot({ path: 'test-results/board-new-years-eve.png' });
    await eve.close();
  });
});
