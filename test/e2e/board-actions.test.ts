// The board behind its login, in a real headless Chromium against Mosquitto and a running desk agent:
// a failed login says so, an operator sets a referral on someone's behalf from the detail panel with
// the keyboard only and takes a message (both reach the desk's lamps), and a viewer sees "Borta"
// where the operator sees "Sjuk". Screenshots go to test-results/.
import { mkdirSync } from 'node:fs';
import mqtt from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Presence } from '../../protocol/index.js';
import { createAuth } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { publishMessage } from '../../switchboard/publish.js';
import { boardUsers, logIn as logInAs, tabTo, watchedPage } from '../support/board-page.js';
import { launchChromium } from '../support/browser.js';
import { type DemoDesk, startDemoDesk } from '../support/demo-desk.js';

const ORG = 'demo';
const EXT = '2101'; // Karin Andersson, Socialtjänsten
const SICK_LED = 4;
const MESSAGE_LED = 9;

describe('acting from the board in Chromium', () => {
  let desk: DemoDesk;
  let board: Board;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync('test-results', { recursive: true });
    desk = await startDemoDesk(ORG, EXT);
    const auth = createAuth({ users: await boardUsers([ORG]) });
    board = await startBoard({ brokerUrl: desk.mosquitto.url, port: 0, orgs: [ORG], auth });
    await board.session.ready;
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await board?.close();
    await desk?.stop();
  });

  async function newPage(): Promise<Page> {
    const page = await watchedPage(browser, problems);
    contexts.push(page.context());
    return page;
  }

  const logIn = (page: Page, username: string) => logInAs(page, board.url, username);

  const row = (page: Page, ext: string) =>
    page.locator(`[data-testid="row"][data-ext="${ext}"]:not([hidden])`);

  it('says when a login fails, then logs in', async () => {
    const page = await newPage();
    await page.goto(board.url);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#username', 'olle');
    await page.fill('#password', 'fel lösenord');
    await page.press('#password', 'Enter');
    await page.waitForSelector('#problem');
    expect(await page.textContent('#problem')).toBe('Fel användarnamn eller lösenord.');
    await page.screenshot({ path: 'test-results/board-login-failed.png' });
    await page.fill('#password', 'olle-password');
    await Promise.all([page.waitForURL(board.url), page.press('#password', 'Enter')]);
    await page.locator('[data-testid="conn"][data-state="live"]').waitFor();
    expect(await page.getByTestId('user').textContent()).toContain('Olle Växel');
    expect(problems.splice(0)).toEqual([]);
  });

  it('an operator sets a referral on behalf with the keyboard only; the desk lights its sick lamp', async () => {
    const page = await newPage();
    await logIn(page, 'olle');
    await page.keyboard.type('karin');
    await page.keyboard.press('Enter');
    await page.getByTestId('detail-name').waitFor();
    expect(await page.getByTestId('detail-name').textContent()).toBe('Karin Andersson');
    await tabTo(page, 'act-until');
    await page.keyboard.type('1530');
    await tabTo(page, 'act-note');
    await page.keyboard.type('Ringde in sjuk 07:40');
    // Enter goes back to the reasons; 6 is Sjuk, and 6 again sends it without waiting for Undo
    await page.keyboard.press('Enter');
    await page.keyboard.press('6');
    await page.getByTestId('act-pending').waitFor();
    await page.keyboard.press('6');
    await expect.poll(() => page.getByTestId('act-result').textContent()).toBe('Sparat');
    await expect.poll(() => row(page, EXT).locator('.label').textContent()).toBe('Sjuk');
    expect(await page.getByTestId('detail-status').textContent()).toMatch(/^Sjuk · .*15:30$/);

    const presence = board.model.currentPresence(ORG, EXT) as Presence;
    expect(presence).toMatchObject({
      reason: 'sick',
      note: 'Ringde in sjuk 07:40',
      by: { kind: 'operator', id: 'olle' },
    });
    expect(
      new Date(presence.until as string).toLocaleTimeString('sv', { timeZone: 'Europe/Stockholm' }),
    ).toBe('15:30:00');
    await desk.panel.waitForFrame((f) => f[SICK_LED]?.pattern === 'on');
    await page.screenshot({ path: 'test-results/board-act-on-behalf.png' });

    // Escape leaves the panel for the search: the operator's next caller.
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    expect(problems.splice(0)).toEqual([]);
  });

  it('an operator takes a message: it is listed, the desk lamp lights, Handled clears it', async () => {
    const page = await newPage();
    await logIn(page, 'olle');
    await page.keyboard.type('2101');
    await page.keyboard.press('Enter');
    await tabTo(page, 'msg-from');
    await page.keyboard.type('Lena Holm');
    await page.keyboard.press('Tab');
    await page.keyboard.type('070-123 45 67');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Gäller bygglovet på Storgatan 4');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('msg-result').textContent()).toBe('Sparat');
    const listed = page.getByTestId('detail-messages');
    await listed.waitFor();
    expect(await listed.textContent()).toContain('Gäller bygglovet på Storgatan 4');
    expect(await listed.textContent()).toContain('Lena Holm, 070-123 45 67');
    // the callback deadline from the org's rule, in its time zone, with the day when not today
    const callbackBy = board.model.row(ORG, EXT)?.phoneMessages?.[0]?.callbackBy ?? '';
    const deadline = new Date(callbackBy).toLocaleTimeString('sv', {
      timeZone: 'Europe/Stockholm',
      hour: '2-digit',
      minute: '2-digit',
    });
    expect(deadline).toBe('17:00');
    expect(await listed.locator('small').textContent()).toMatch(
      /^ring tillbaka senast \S+ 17:00 · tagit av Olle Växel$/,
    );
    expect(await row(page, EXT).locator('.c-msg').textContent()).toContain('✉ 1');
    await desk.panel.waitForFrame((f) => f[MESSAGE_LED]?.pattern === 'on');
    await page.screenshot({ path: 'test-results/board-message-taken.png' });

    // a refusal is a sentence next to its field, and changes nothing
    await page.getByTestId('act-further-notice').check();
    await page.getByTestId('act-lunch').click();
    await expect
      .poll(() => page.getByTestId('err-further-notice').textContent())
      .toBe('Orsaken behöver en återkomsttid: skriv en tid.');
    expect(await page.getByTestId('act-pending').isHidden()).toBe(true);
    expect(await row(page, EXT).locator('.label').textContent()).toBe('Sjuk');

    await listed.getByTestId('msg-handled').click();
    await listed.waitFor({ state: 'detached' });
    await desk.panel.waitForFrame((f) => f[MESSAGE_LED]?.pattern === 'off');
    expect(problems.splice(0)).toEqual([]);
  });

  it('a viewer sees "Borta" where the operator sees "Sjuk", and no controls', async () => {
    // a message to hide from the viewer
    const operator = await newPage();
    await logIn(operator, 'olle');
    const token = await operator.evaluate(async () => {
      const s = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      return s.csrfToken;
    });
    const taken = await operator.evaluate(
      async ([path, csrf]) =>
        (
          await fetch(path as string, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': csrf as string },
            body: JSON.stringify({ from: 'Hemlig Uppringare', text: 'Konfidentiellt ärende' }),
          })
        ).status,
      [`/api/messages/${ORG}/${EXT}`, token],
    );
    expect(taken).toBe(201);

    const page = await newPage();
    await logIn(page, 'vera');
    await expect.poll(() => row(page, EXT).locator('.label').textContent()).toBe('Borta');
    expect(await row(operator, EXT).locator('.label').textContent()).toBe('Sjuk');
    await page.keyboard.type('karin');
    await page.keyboard.press('Enter');
    await page.getByTestId('detail-name').waitFor();
    expect(await page.getByTestId('detail-status').textContent()).toMatch(/^Borta/);
    const detail = (await page.getByTestId('detail').textContent()) ?? '';
    expect(detail).not.toMatch(/Sjuk|Ringde|Hemlig|Konfidentiellt/);
    expect(await page.getByTestId('act').count()).toBe(0);
    expect(await page.getByTestId('msg').count()).toBe(0);
    expect(await page.getByTestId('detail-messages').count()).toBe(0);
    await page.screenshot({ path: 'test-results/board-viewer.png' });

    // Logging out ends the session: the page goes to the login, and the API answers 401.
    await Promise.all([page.waitForURL(/\/login$/), page.getByTestId('logout').click()]);
    expect(await page.evaluate(async () => (await fetch('/api/snapshot')).status)).toBe(401);
    expect(problems.splice(0)).toEqual([]);
  });

  it('an operator sets vacation until a date, with information for the switchboard', async () => {
    const page = await newPage();
    await logIn(page, 'olle');
    await page.keyboard.type('karin');
    await page.keyboard.press('Enter');
    await page.getByTestId('detail-name').waitFor();
    // the Wednesday at least a week ahead (the demo organisation works Monday to Friday from 08:00)
    const day = new Date(Date.now() + 7 * 86_400_000);
    day.setUTCDate(day.getUTCDate() + ((3 - day.getUTCDay() + 7) % 7));
    const date = day.toISOString().slice(0, 10);
    await page.getByTestId('act-until-date').fill(date);
    await page.getByTestId('act-alt-info').fill('Frågor om bygglov: Per, ankn. 2102');
    // chosen, then chosen again: sent without waiting for Undo
    await page.getByTestId('act-vacation').click();
    await page.getByTestId('act-pending').waitFor();
    await page.getByTestId('act-vacation').click();
    await expect.poll(() => page.getByTestId('act-result').textContent()).toBe('Sparat');
    await expect.poll(() => board.model.currentPresence(ORG, EXT)?.reason).toBe('vacation');
    const presence = board.model.currentPresence(ORG, EXT) as Presence;
    expect(presence.alt).toEqual({ kind: 'info', text: 'Frågor om bygglov: Per, ankn. 2102' });
    const back = new Date(presence.until as string);
    expect(back.toLocaleDateString('sv', { timeZone: 'Europe/Stockholm' })).toBe(date);
    expect(back.toLocaleTimeString('sv', { timeZone: 'Europe/Stockholm' })).toBe('08:00:00');

    // the calendar bridge says it cannot read Karin's calendar: her details say so, and since when
    const client = await mqtt.connectAsync(desk.mosquitto.url, { protocolVersion: 4 });
    const lastGood = new Date(Date.now() - 30 * 60_000);
    lastGood.setUTCSeconds(0, 0);
    await publishMessage(client, {
      kind: 'calendar-status',
      org: ORG,
      ext: EXT,
      body: {
        v: 1,
        ok: false,
        at: new Date().toISOString(),
        lastGood: lastGood.toISOString(),
        failures: 3,
        error: 'HTTP 404 Not Found',
      },
    });
    await client.endAsync();
    const hhmm = lastGood.toLocaleTimeString('sv', {
      timeZone: 'Europe/Stockholm',
      hour: '2-digit',
      minute: '2-digit',
    });
    await expect
      .poll(() => page.locator('[data-testid="detail"] dl').first().textContent())
      .toContain(`Kalenderkan inte läsas, senast läst ${hhmm}: HTTP 404 Not Found`);
    expect(problems.splice(0)).toEqual([]);
  });
});
