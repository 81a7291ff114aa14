// The board in Chromium with what the phone bridge publishes of calls (issue 22), sent as the contract's
// messages on the broker: a person's line ringing, in a call and idle again, on their row and in their
// details; a call routed to the switchboard as a live notice with the reason and return time, a
// private reason only as "away" for a viewer (Grästorp/Essunga: the operator knows why, others not).
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtCallEvent, Message } from '../../protocol/index.js';
import { fromLocal, localParts } from '../../rules/time.js';
import { createAuth } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import { publishMessage } from '../../switchboard/publish.js';
import { awayAt, boardUsers, logIn, swedishOrg } from '../support/board-page.js';
import { launchChromium } from '../support/browser.js';

const ORG = 'grastorp';
const NOW = Date.now();
/** 13:00 in Stockholm, today */
const ONE_PM = (() => {
  const { year, month, day } = localParts(new Date(NOW), 'Europe/Stockholm');
  return fromLocal(year, month, day, 13, 0, 'Europe/Stockholm').getTime();
})();

const DIRECTORY: Message[] = [
  { kind: 'directory-org', org: ORG, body: swedishOrg('Grästorps kommun') },
  {
    kind: 'directory-department',
    org: ORG,
    departmentId: 'bygg',
    body: { v: 1, name: 'Bygglov', phoneHours: [], mustAnswer: false },
  },
  { kind: 'directory-person', org: ORG, ext: '2001', body: { v: 1, name: 'Anna Ek', department: 'bygg' } },
  { kind: 'directory-person', org: ORG, ext: '2002', body: { v: 1, name: 'Bo Strand', department: 'bygg' } },
  { kind: 'presence', org: ORG, ext: '2001', body: awayAt(NOW, 1, 'lunch', ONE_PM) },
  { kind: 'presence', org: ORG, ext: '2002', body: awayAt(NOW, 1, 'sick', null) },
];

const line = (ext: string, state: 'idle' | 'ringing' | 'in-call'): Message => ({
  kind: 'line',
  org: ORG,
  ext,
  body: { v: 1, state, since: new Date(NOW).toISOString() },
});

let n = 0;
const routed = (ext: string, extra: Partial<ExtCallEvent>): Message => ({
  kind: 'ext-call',
  org: ORG,
  ext,
  body: {
    v: 1,
    id: `r-${++n}`,
    call: `call-${n}@10.0.0.5`,
    event: 'routed',
    at: new Date().toISOString(),
    to: 'switchboard',
    cause: 'referred',
    target: '9000',
    ...extra,
  },
});

describe('board: lines and calls from the phone bridge', () => {
  let broker: EmbeddedBroker;
  let board: Board;
  let browser: Browser;
  let client: MqttClient;
  const publish = async (...messages: Message[]) => {
    for (const m of messages) await publishMessage(client, m);
  };

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    client = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    await publish(...DIRECTORY);
    board = await startBoard({
      brokerUrl: broker.url,
      port: 0,
      auth: createAuth({ users: await boardUsers('*') }),
    });
    await board.session.ready;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await board?.close();
    await client?.endAsync();
    await broker?.close();
  });

  const open = async (username: string) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await logIn(page, board.url, username);
    await page.locator('[data-testid="row"][data-ext="2001"]').waitFor();
    return page;
  };
  const lineOf = (page: Page, ext: string) =>
    page.locator(`[data-testid="row"][data-ext="${ext}"] [data-testid="line"]`);

  it('shows the line live on the row and in the details: ringing, in a call, then nothing', async () => {
    const page = await open('olle');
    await publish(line('2001', 'ringing'));
    await lineOf(page, '2001').waitFor();
    expect(await lineOf(page, '2001').textContent()).toBe('ringer');
    await publish(line('2001', 'in-call'));
    await expect.poll(() => lineOf(page, '2001').textContent()).toBe('i samtal');
    expect(await lineOf(page, '2001').getAttribute('title')).toMatch(/^i samtal sedan \d\d:\d\d$/);
    // the details say since when, beside the desk's state
    await page.keyboard.type('2001');
    await page.keyboard.press('Enter');
    await page.getByTestId('detail-name').waitFor();
    await expect
      .poll(() => page.locator('[data-testid="detail"] dl').textContent())
      .toMatch(/Linjeni samtal sedan \d\d:\d\d/);
    await page.screenshot({ path: 'test-results/board-line-in-call.png' });
    // the phone bridge cut off from the phone system: the last line state is old news, not shown
    const link = (up: boolean): Message => ({
      kind: 'phone-link',
      org: ORG,
      body: { v: 1, up, since: new Date().toISOString(), system: 'sip' },
    });
    await publish(link(false));
    await lineOf(page, '2001').waitFor({ state: 'detached' });
    await publish(link(true));
    await lineOf(page, '2001').waitFor();
    await publish(line('2001', 'idle'));
    await lineOf(page, '2001').waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="detail"] dl').textContent()).not.toContain('Linjen');
    await page.close();
  });

  it('says a call came to the switchboard, with the reason and return time, and lets it be dismissed', async () => {
    const page = await open('olle');
    await publish(routed('2001', { reason: 'lunch', until: new Date(ONE_PM).toISOString() }));
    const notice = page.getByTestId('call-notice');
    await notice.waitFor();
    expect(await notice.locator('span').textContent()).toBe(
      'Samtal till Anna Ek (2001) — Lunch, tillbaka 13:00 — kom till växeln',
    );
    // an unreferred desk that rang out, and the bridge's other steps (no notice for a desk call)
    await publish(
      routed('2002', { to: 'desk', cause: 'available', target: '2002' }),
      routed('2001', { cause: 'unanswered' }),
    );
    await expect.poll(() => notice.count()).toBe(2);
    expect(await notice.first().locator('span').textContent()).toBe(
      'Samtal till Anna Ek (2001) — svarade inte — kom till växeln',
    );
    await page.screenshot({ path: 'test-results/board-call-notice.png' });
    await notice.first().getByRole('button', { name: 'Stäng' }).click();
    await expect.poll(() => notice.count()).toBe(1);
    await page.close();
  });

  it('a viewer reads a private reason only as away; the operator reads it', async () => {
    const viewer = await open('vera');
    const operator = await open('olle');
    // the bridge sends a private reason as "away"; one it sent as a code is reduced for the viewer
    await publish(routed('2002', { reason: 'sick', until: null }));
    const said = (page: Page) => page.getByTestId('call-notice').first().locator('span');
    await said(viewer).waitFor();
    await said(operator).waitFor();
    expect(await said(viewer).textContent()).toBe(
      'Samtal till Bo Strand (2002) — Borta, tills vidare — kom till växeln',
    );
    expect(await said(operator).textContent()).toBe(
      'Samtal till Bo Strand (2002) — Sjuk, tills vidare — kom till växeln',
    );
    await viewer.close();
    await operator.close();
  });
});
