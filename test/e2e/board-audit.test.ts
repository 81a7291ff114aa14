// The person's audit trail in the details (issue 25), in a real headless Chromium: two boards on one
// Mosquitto with a recorder into a SQLite store; changes made through board A show, in order and with
// who made them, in the details on board B; once the recorder stops, the trail says since when
// nothing is recorded. Screenshots go to test-results/.
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type Recorder, startRecorder } from '../../switchboard/recorder/recorder.js';
import { openStorage } from '../../switchboard/recorder/storage/open.js';
import type { Storage } from '../../switchboard/recorder/storage/port.js';
import { boardUsers, logIn, watchedPage } from '../support/board-page.js';
import { launchChromium } from '../support/browser.js';
import { type DemoDesk, startDemoDesk } from '../support/demo-desk.js';

const ORG = 'demo';
const EXT = '2101'; // Karin Andersson

describe('the audit trail in the details, in Chromium', () => {
  let desk: DemoDesk;
  let dir: string;
  const stores: Storage[] = [];
  let recorder: Recorder | undefined;
  let a: Board;
  let b: Board;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync('test-results', { recursive: true });
    [desk, dir] = await Promise.all([startDemoDesk(ORG, EXT), mkdtemp(join(tmpdir(), 'hanvisa-audit-e2e-'))]);
    const store = async () => {
      const storage = await openStorage(join(dir, 'record.db'));
      stores.push(storage);
      return storage;
    };
    recorder = await startRecorder({ brokerUrl: desk.mosquitto.url, storage: await store(), orgs: [ORG] });
    await recorder.ready;
    const users = await boardUsers([ORG]);
    const board = async () =>
      startBoard({
        brokerUrl: desk.mosquitto.url,
        port: 0,
        orgs: [ORG],
        auth: createAuth({ users, sessions: { secret: 'audit-e2e-boards-share-this-secret-32+' } }),
        stats: { storage: await store() },
      });
    [a, b] = await Promise.all([board(), board()]);
    await Promise.all([a.session.ready, b.session.ready]);
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await recorder?.close();
    await a?.close();
    await b?.close();
    for (const s of stores) await s.close();
    await desk?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** olle's referral for Karin through board A's API. */
  const referThroughA = async (body: object) => {
    const login = await fetch(new URL('/login', a.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'olle', password: 'olle-password' }),
    });
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const res = await fetch(new URL(`/api/presence/${ORG}/${EXT}`, a.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  };
  const openKarinOnB = async (): Promise<Page> => {
    const page = await watchedPage(browser, problems);
    await logIn(page, b.url, 'olle');
    await page.keyboard.type('karin');
    await page.keyboard.press('Enter');
    await page.getByTestId('detail-name').waitFor();
    return page;
  };
  const trail = (page: Page) =>
    page.locator('[data-testid="audit"] li').evaluateAll((items) => items.map((li) => li.textContent));

  it('shows on board B the changes made through board A, newest first, then where nothing was recorded', async () => {
    await referThroughA({ reason: 'sick', untilFurtherNotice: true });
    await referThroughA({ reason: 'meeting', until: '2026-12-31 15:30' });
    const page = await openKarinOnB();
    await expect
      .poll(() => trail(page))
      .toEqual([
        expect.stringMatching(/^\d\d:\d\d olle: Sammanträde, tillbaka 31\/12 15:30$/),
        expect.stringMatching(/^\d\d:\d\d olle: Sjuk, tills vidare$/),
      ]);
    expect(await page.getByTestId('audit-note').count()).toBe(0);
    await page.getByTestId('audit').screenshot({ path: 'test-results/board-audit-two-boards.png' });

    // the recorder stops: the trail still shows what it recorded, and says since when nothing is
    await recorder?.close();
    recorder = undefined;
    await page.reload();
    await page.locator('[data-testid="conn"][data-state="live"]').waitFor();
    await page.keyboard.type('karin');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => trail(page))
      .toEqual([
        expect.stringMatching(/^Ej inspelat sedan \d\d:\d\d: senare ändringar kan saknas\.$/),
        expect.stringMatching(/ olle: Sammanträde, tillbaka 31\/12 15:30$/),
        expect.stringMatching(/ olle: Sjuk, tills vidare$/),
      ]);
    await page.getByTestId('audit').screenshot({ path: 'test-results/board-audit-recorder-down.png' });
    expect(problems).toEqual([]);
  }, 60_000);
});
