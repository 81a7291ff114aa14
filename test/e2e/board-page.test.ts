// The board page in a real headless Chromium, fed over MQTT through the embedded broker: a presence
// appears without reload, search filters, the keyboard flow (type, arrows, Enter) opens a person.
import { mkdirSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message, Presence } from '../../protocol/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import { publishMessage } from '../../switchboard/publish.js';
import { awayAt } from '../support/board-page.js';
import { launchChromium } from '../support/browser.js';
import { assign } from '../support/device-fixture.js';

const ORG = 'grastorp';
// The page's clock is pinned (page.clock) so "overdue 10 min" is exact: 10:30 UTC is 11:30 in Stockholm.
const NOW = Date.parse('2026-11-23T10:30:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const away = (seq: number, reason: string, until: number | null, alt: Presence['alt'] = null) =>
  awayAt(NOW, seq, reason, until, { alt });

const PEOPLE: [string, string, string, string][] = [
  ['2101', 'Anna Berg', 'social', 'Socialsekreterare'],
  ['2102', 'Bertil Åberg', 'bygg', 'Bygglovshandläggare'],
  ['2103', 'Cecilia Lund', 'bygg', 'Bygglovsarkitekt'],
  ['2104', 'David Ek', 'social', 'Enhetschef'],
  ['2105', 'Eva Nyström', 'kommunledning', 'Kommunsekreterare'],
];

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
  ...(
    [
      ['social', 'Socialtjänsten', 'social'],
      ['bygg', 'Bygglov', 'bygg'],
      ['kommunledning', 'Kommunledning', undefined],
    ] as const
  ).map(
    ([id, name, queue]): Message => ({
      kind: 'directory-department',
      org: ORG,
      departmentId: id,
      body: {
        v: 1,
        name,
        ...(queue ? { queue } : {}),
        phoneHours: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '16:00' }],
        mustAnswer: false,
      },
    }),
  ),
  ...PEOPLE.map(
    ([ext, name, department, title]): Message => ({
      kind: 'directory-person',
      org: ORG,
      ext,
      body: { v: 1, name, department, title, direct: `0514-58 ${ext.slice(1)}`, mobile: '070-123 45 67' },
    }),
  ),
  {
    kind: 'queue',
    org: ORG,
    queueId: 'bygg',
    body: { v: 1, name: 'Bygglov', waiting: 3, oldestSince: iso(NOW - 95_000), at: iso(NOW) },
  },
  {
    kind: 'queue',
    org: ORG,
    queueId: 'social',
    body: { v: 1, name: 'Socialtjänsten', waiting: 0, oldestSince: null, at: iso(NOW) },
  },
  {
    kind: 'presence',
    org: ORG,
    ext: '2101',
    body: { ...away(1, 'lunch', null), status: 'available', reason: null },
  },
  {
    kind: 'presence',
    org: ORG,
    ext: '2103',
    body: away(4, 'meeting', NOW - 10 * 60_000, { kind: 'info', text: 'Ring mobilen vid brådskande' }),
  },
  { kind: 'presence', org: ORG, ext: '2104', body: away(2, 'sick', null) },
  {
    kind: 'presence',
    org: ORG,
    ext: '2105',
    body: away(1, 'trip', NOW + 5 * 3600_000, { kind: 'forward', to: '2104', name: 'David Ek' }),
  },
  // IT's assignments: the board takes a desk's extension from these, not from its state
  assign(ORG, 'desk-2101', '2101'),
  assign(ORG, 'desk-2104', '2104'),
  {
    kind: 'device-state',
    org: ORG,
    deviceId: 'desk-2101',
    body: {
      v: 1,
      online: true,
      ext: '2101',
      agent: '0.1.0',
      panel: { hardwareId: 'p-1', model: 'hanvisa-12', keys: 12, leds: 12, firmware: '1.0.0' },
    },
  },
  { kind: 'device-state', org: ORG, deviceId: 'desk-2104', body: { v: 1, online: false, ext: '2104' } },
  {
    kind: 'mwi-message',
    org: ORG,
    ext: '2104',
    messageId: 'm1',
    body: {
      v: 1,
      message: { id: 'm1', at: iso(NOW), from: 'Lisa', text: 'Ring tillbaka', callbackBy: null },
    },
  },
  { kind: 'voicemail', org: ORG, ext: '2104', body: { v: 1, count: 2 } },
];

describe('board page in Chromium', () => {
  let broker: EmbeddedBroker;
  let board: Board;
  let client: MqttClient;
  let browser: Browser;
  let page: Page;

  const errors: string[] = [];
  const row = (ext: string) => page.locator(`[data-testid="row"][data-ext="${ext}"]`);
  const dept = (id: string) => page.locator(`[data-testid="department"][data-id="${ORG}/${id}"]`);
  const visibleExts = () =>
    page.$$eval('[data-testid="row"]:not([hidden])', (els) => els.map((e) => (e as HTMLElement).dataset.ext));

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    client = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    for (const m of DIRECTORY) await publishMessage(client, m);
    board = await startBoard({
      brokerUrl: broker.url,
      port: 0,
      deskLinks: (ext) => `http://127.0.0.1:1/desk/${ext}`,
    });
    await board.session.ready;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 640 } });
    await page.clock.setFixedTime(NOW);
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(board.url);
    await page.locator('[data-testid="conn"][data-state="live"]').waitFor();
  });

  // any script error on the page fails the test that caused it
  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await client?.endAsync(true);
    await board?.close();
    await broker?.close();
  });

  it('shows who is in, who is away and until when', async () => {
    await expect.poll(visibleExts).toEqual(['2101', '2102', '2103', '2104', '2105']);
    expect(await page.getByTestId('org-name').textContent()).toBe('Grästorps kommun');
    expect(await row('2101').getAttribute('data-state')).toBe('available');
    expect(await row('2101').locator('.label').textContent()).toBe('Tillgänglig');
    // overdue, computed in the browser from the return time
    expect(await row('2103').getAttribute('data-state')).toBe('overdue');
    expect(await row('2103').getByTestId('back').textContent()).toMatch(
      /^försenad 10 min, skulle åter \d\d:\d\d$/,
    );
    expect(await row('2103').locator('.c-alt').textContent()).toBe('Info: Ring mobilen vid brådskande');
    expect(await row('2104').locator('.label').textContent()).toBe('Sjuk');
    expect(await row('2104').getByTestId('back').textContent()).toBe('tills vidare');
    expect(await row('2104').getByTestId('desk-state').textContent()).toBe('frånkopplad');
    // ✉ phone messages, ✇ voicemail (☎ is only a queue's waiting calls)
    expect(await row('2104').locator('.c-msg').textContent()).toBe('✉ 1✇ 2');
    // 15:30 UTC is 16:30 in Stockholm
    expect(await row('2105').getByTestId('back').textContent()).toBe('tillbaka 16:30');
    expect(await row('2105').locator('.c-alt').textContent()).toBe('→ 2104 David Ek');
    expect(await row('2102').locator('.label').textContent()).toBe('Okänd');
    // departments: who is in, next back, queue; Bygglov and Kommunledning are all away in phone hours
    expect(await dept('social').getByTestId('dept-in').textContent()).toBe('1/2 inne');
    expect(await dept('social').getAttribute('data-alarm')).toBeNull();
    expect(await dept('social').getByTestId('queue').textContent()).toBe('☎0väntar');
    expect(await dept('bygg').getAttribute('data-alarm')).toBe('all-away');
    expect(await dept('bygg').getByTestId('dept-alarm').textContent()).toBe('Hela avdelningen borta');
    expect(await dept('bygg').getByTestId('queue').textContent()).toBe('☎3väntar · längst 1:35');
    expect(await dept('bygg').getByTestId('queue').getAttribute('data-level')).toBe('long');
    expect(await dept('kommunledning').getByTestId('dept-next').textContent()).toBe('nästa åter 16:30');
  });

  it('a presence published over MQTT appears without reload, touching only that row', async () => {
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    const other = await row('2101').elementHandle();
    await publishMessage(client, {
      kind: 'presence',
      org: ORG,
      ext: '2102',
      body: away(1, 'lunch', NOW + 45 * 60_000, { kind: 'forward', to: '2103' }),
    });
    await expect.poll(() => row('2102').getAttribute('data-state')).toBe('away');
    expect(await row('2102').locator('.label').textContent()).toBe('Lunch');
    expect(await row('2102').getByTestId('back').textContent()).toBe('tillbaka 12:15');
    // the forward carries only the extension: the board names the colleague from the directory
    expect(await row('2102').locator('.c-alt').textContent()).toBe('→ 2103 Cecilia Lund');
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
    // the other row's element was neither replaced nor rewritten
    expect(await other?.evaluate((el) => el.isConnected && (el as HTMLElement).dataset.ext)).toBe('2101');

    // the desk comes online
    await publishMessage(client, {
      kind: 'device-state',
      org: ORG,
      deviceId: 'desk-2104',
      body: { v: 1, online: true, ext: '2104' },
    });
    await expect.poll(() => row('2104').getByTestId('desk-state').textContent()).toBe('ansluten');
  });

  it("a desk's layout warning shows in the device column and the legend, and goes when the desk fits", async () => {
    const warning = 'layout.leds: LED 9 is not on this panel (8 LEDs): its messages lamp';
    const state = (warnings?: string[]) =>
      publishMessage(client, {
        kind: 'device-state',
        org: ORG,
        deviceId: 'desk-2104',
        body: { v: 1, online: true, ext: '2104', ...(warnings ? { warnings } : {}) },
      });
    await state([warning]);
    const badge = row('2104').getByTestId('desk-warnings');
    await expect.poll(() => badge.getAttribute('title')).toBe(`Bordsenheten varnar: ${warning}`);
    expect(await badge.textContent()).toBe('⚠');
    expect(await page.getByTestId('legend').textContent()).toContain('⚠');
    await state();
    await expect.poll(() => badge.count()).toBe(0);
    expect(await row('2104').getByTestId('desk-state').textContent()).toBe('ansluten');
  });

  it('search filters as you type, by name, extension and department', async () => {
    const search = page.getByTestId('search');
    await search.fill('bygg');
    await expect.poll(visibleExts).toEqual(['2102', '2103']);
    await search.fill('2105');
    await expect.poll(visibleExts).toEqual(['2105']);
    await search.fill('social chef');
    await expect.poll(visibleExts).toEqual(['2104']);
    await search.fill('zzz');
    await expect.poll(visibleExts).toEqual([]);
    expect(await page.getByTestId('empty').textContent()).toBe('Inga träffar');
    await search.fill('');
    await expect.poll(visibleExts).toEqual(['2101', '2102', '2103', '2104', '2105']);
  });

  it('keyboard flow: type, arrow, Enter opens the person; Escape closes and clears', async () => {
    await page.getByTestId('search').fill('');
    await page.keyboard.type('berg'); // Anna Berg, Bertil Åberg
    await expect.poll(visibleExts).toEqual(['2101', '2102']);
    expect(await row('2101').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await row('2102').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('detail');
    await detail.waitFor();
    expect(await detail.getByTestId('detail-name').textContent()).toBe('Bertil Åberg');
    expect(await detail.getByTestId('detail-status').textContent()).toBe('Lunch · tillbaka 12:15');
    expect(await detail.textContent()).toContain('0514-58 102');
    expect(await detail.textContent()).toContain('mån–fre 08:00–16:00');
    expect(await detail.getByTestId('desk-link').getAttribute('href')).toBe('http://127.0.0.1:1/desk/2102');
    await page.keyboard.press('ArrowUp');
    expect(await detail.getByTestId('detail-name').textContent()).toBe('Anna Berg');
    // IT sees which release her desk runs (mid-upgrade, the previous one)
    expect(await detail.textContent()).toContain('Versioneragent 0.1.0, firmware 1.0.0');
    await page.keyboard.press('Escape');
    await expect.poll(() => detail.isHidden()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('search').inputValue()).toBe('');
    await expect.poll(visibleExts).toHaveLength(5);
  });

  it('speaks English and Danish too', async () => {
    await page.getByTestId('langs').getByRole('button', { name: 'en', exact: true }).click();
    await expect
      .poll(() => row('2103').getByTestId('back').textContent())
      .toMatch(/^overdue 10 min, due back \d\d:\d\d$/);
    expect(await row('2104').getByTestId('back').textContent()).toBe('until further notice');
    expect(await page.getByTestId('search').getAttribute('placeholder')).toContain('Search');
    await page.getByTestId('langs').getByRole('button', { name: 'da', exact: true }).click();
    await expect.poll(() => row('2104').locator('.label').textContent()).toBe('Syg');
    await page.getByTestId('langs').getByRole('button', { name: 'sv', exact: true }).click();
  });

  it('turns a row overdue as the clock passes its return time, with no message', async () => {
    const clockPage = await browser.newPage({ viewport: { width: 1440, height: 640 } });
    try {
      // a fake clock that also drives timers and animation frames, advanced by hand
      await clockPage.clock.install({ time: NOW });
      await clockPage.goto(board.url);
      const bertil = clockPage.locator('[data-testid="row"][data-ext="2102"]');
      await expect
        .poll(async () => {
          await clockPage.clock.runFor(50);
          return bertil.getByTestId('back').textContent();
        })
        .toBe('tillbaka 12:15');
      expect(await bertil.getAttribute('data-state')).toBe('away');
      await clockPage.clock.runFor(46 * 60_000);
      expect(await bertil.getAttribute('data-state')).toBe('overdue');
      expect(await bertil.getByTestId('back').textContent()).toBe('försenad 1 min, skulle åter 12:15');
    } finally {
      await clockPage.close();
    }
  });

  it('looks like an operator console (screenshot)', async () => {
    mkdirSync('test-results', { recursive: true });
    await page.getByTestId('search').fill('');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('detail').waitFor();
    await page.screenshot({ path: 'test-results/board.png' });
  });
  it('several organisations on one board: each row says whose, search finds by organisation', async () => {
    const mala: Message[] = [
      {
        kind: 'directory-org',
        org: 'mala',
        body: {
          v: 1,
          name: 'Malå kommun',
          timeZone: 'Europe/Stockholm',
          locale: 'sv',
          workday: { from: '08:00', to: '17:00' },
          onReturn: 'overdue',
          callback: 'next-working-day',
        },
      },
      {
        kind: 'directory-person',
        org: 'mala',
        ext: '2101',
        body: { v: 1, name: 'Nils Malm', department: 'bygg' },
      },
    ];
    for (const m of mala) await publishMessage(client, m);
    await expect
      .poll(() => page.getByTestId('org-name').textContent())
      .toBe('Grästorps kommun · Malå kommun');
    await expect.poll(() => row('2102').locator('.c-dept').textContent()).toBe('Bygglov · Grästorps kommun');
    await page.getByTestId('search').fill('malå');
    await expect
      .poll(() => page.locator('[data-testid="row"]:not([hidden]) .name').allTextContents())
      .toEqual(['Nils Malm']);
    await page.getByTestId('search').fill('');
    for (const m of mala.reverse()) await publishMessage(client, { ...m, body: null } as Message);
    await expect.poll(() => row('2102').locator('.c-dept').textContent()).toBe('Bygglov');
  });
  it('a person added, renamed or removed takes their place in the sorted list', async () => {
    const person = (name: string | null): Message => ({
      kind: 'directory-person',
      org: ORG,
      ext: '2106',
      body: name ? { v: 1, name, department: 'social' } : null,
    });
    await publishMessage(client, person('Beata Ahl'));
    await expect.poll(visibleExts).toEqual(['2101', '2106', '2102', '2103', '2104', '2105']);
    await publishMessage(client, person('Östen Ahl')); // Swedish: Ö sorts after Z
    await expect.poll(visibleExts).toEqual(['2101', '2102', '2103', '2104', '2105', '2106']);
    await publishMessage(client, person(null));
    await expect.poll(visibleExts).toEqual(['2101', '2102', '2103', '2104', '2105']);
  });

  it('a department alarm clears when someone is back, and a click lists the department', async () => {
    expect(await dept('bygg').getAttribute('data-alarm')).toBe('all-away');
    await publishMessage(client, {
      kind: 'presence',
      org: ORG,
      ext: '2103',
      body: { ...away(5, 'lunch', null), status: 'available', reason: null },
    });
    await expect.poll(() => dept('bygg').getAttribute('data-alarm')).toBeNull();
    expect(await dept('bygg').getByTestId('dept-in').textContent()).toBe('1/2 inne');
    expect(await dept('bygg').getByTestId('dept-next').textContent()).toBe('nästa åter 12:15');
    await dept('bygg').click();
    await expect.poll(visibleExts).toEqual(['2102', '2103']);
    expect(await page.getByTestId('search').inputValue()).toBe('Bygglov');
  });
  it('a search follows the rows: one whose reason starts to match joins the hits in order, one that no longer matches leaves', async () => {
    await page.getByTestId('search').fill('sjuk');
    await expect.poll(visibleExts).toEqual(['2104']);
    await publishMessage(client, { kind: 'presence', org: ORG, ext: '2101', body: away(2, 'sick', null) });
    await expect.poll(visibleExts).toEqual(['2101', '2104']);
    expect(await page.getByTestId('hits').textContent()).toBe('2 / 5');
    await publishMessage(client, {
      kind: 'presence',
      org: ORG,
      ext: '2104',
      body: { ...away(3, 'sick', null), status: 'available', reason: null },
    });
    await expect.poll(visibleExts).toEqual(['2101']);
    expect(await page.getByTestId('hits').textContent()).toBe('1 / 5');
    // the next letters narrow what is shown, and they still see the rows as they are now
    await page.getByTestId('search').press('End');
    await page.keyboard.type(' anna');
    await expect.poll(visibleExts).toEqual(['2101']);
    await page.keyboard.press('Escape');
    await expect.poll(visibleExts).toEqual(['2101', '2102', '2103', '2104', '2105']);
    // a fresh search (the whole word at once) reads the rows as they are now, not as when its index
    // was built: 2101 was not sick then, 2104 was
    await page.getByTestId('search').fill('sjuk');
    await expect.poll(visibleExts).toEqual(['2101']);
    await page.keyboard.press('Escape');
  });
});
