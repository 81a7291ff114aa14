// Issue 22's "done when", end to end with real parts only: the shipped Kamailio config as the PBX,
// baresip phones (a caller, two desks, the switchboard and an operator's second set on its number), the
// phone bridge as Kamailio's redirect server and line watcher, Mosquitto, the recorder on SQLite and the
// board with its statistics page in Chromium. Five real calls: one rings the colleague a referral
// forwards to, one reaches the switchboard told the reason, one rings out at an unreferred desk, an
// operator's transfer is answered and one comes back. The page then shows those very calls per
// department and per person, and the board showed the desk that was in a call as on the phone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';
import { decode, type ExtCallEvent, filterFor, type LineState, type Message } from '../../protocol/index.js';
import { createAuth } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type Bridge, startBridge } from '../../switchboard/phone/bridge.js';
import { createSipPhone } from '../../switchboard/phone/sip/adapter.js';
import { publishMessage } from '../../switchboard/publish.js';
import { dayKey } from '../../switchboard/recorder/figures/periods.js';
import { type Recorder, startRecorder } from '../../switchboard/recorder/recorder.js';
import { openStorage } from '../../switchboard/recorder/storage/open.js';
import type { Storage } from '../../switchboard/recorder/storage/port.js';
import { boardUsers, logIn, swedishOrg } from '../support/board-page.js';
import { launchChromium } from '../support/browser.js';
import { bridgeDecides, bridgeKnows, hangUpAll, lunch, referrer } from '../support/call-rig.js';
import { freeUdpPort, type Kamailio, startKamailio } from '../support/kamailio.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { type SipPhone, startPhone } from '../support/sip-phones.js';

const ORG = 'grastorp';
const SWITCHBOARD = '9000';
/** the ring limit: short, so a ring-out takes seconds (config, not a sleep) */
const RING_LIMIT = 2;

const DIRECTORY: Message[] = [
  { kind: 'directory-org', org: ORG, body: swedishOrg('Grästorps kommun') },
  {
    kind: 'directory-department',
    org: ORG,
    departmentId: 'bygg',
    body: { v: 1, name: 'Bygglov', phoneHours: [], mustAnswer: false },
  },
  { kind: 'directory-person', org: ORG, ext: '4711', body: { v: 1, name: 'Anna Ek', department: 'bygg' } },
  { kind: 'directory-person', org: ORG, ext: '4712', body: { v: 1, name: 'Bo Strand', department: 'bygg' } },
];

describe('calls to statistics: real calls through the shipped Kamailio to the statistics page', () => {
  let dir: string;
  let mosquitto: Mosquitto;
  let kamailio: Kamailio;
  let bridgePort: number;
  let bridge: Bridge;
  let storage: Storage;
  let recorder: Recorder;
  let board: Board;
  let browser: Browser;
  let client: MqttClient;
  let caller: SipPhone;
  let anna: SipPhone;
  let bo: SipPhone;
  let switchboard: SipPhone;
  let operator: SipPhone;
  let refer: ReturnType<typeof referrer>;
  const events: ExtCallEvent[] = [];
  const lines = new Map<string, LineState['state']>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-calls-stats-'));
    bridgePort = await freeUdpPort();
    [mosquitto, kamailio] = await Promise.all([
      startMosquitto(),
      startKamailio({ bridge: { host: '127.0.0.1', port: bridgePort } }),
    ]);
    client = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    client.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      if (!r.ok) return;
      // the rig's routing questions (probes) are not calls
      if (r.message.kind === 'ext-call' && !r.message.body.call.startsWith('probe-'))
        events.push(r.message.body);
      if (r.message.kind === 'line' && r.message.body) lines.set(r.message.ext, r.message.body.state);
    });
    await client.subscribeAsync([filterFor('ext-call', ORG), filterFor('line', ORG)], { qos: 1 });
    for (const m of DIRECTORY) await publishMessage(client, m);
    refer = referrer(client, ORG);
    await refer('4711', {});
    await refer('4712', {});
    storage = await openStorage(join(dir, 'record.db'));
    recorder = await startRecorder({ brokerUrl: mosquitto.url, storage, orgs: [ORG] });
    bridge = startBridge({
      brokerUrl: mosquitto.url,
      org: ORG,
      phone: createSipPhone({
        server: { host: kamailio.host, port: kamailio.port },
        domain: kamailio.domain,
        extensions: [],
        localHost: '127.0.0.1',
        localPort: bridgePort,
        keepaliveMs: 500,
      }),
      routing: { switchboard: SWITCHBOARD, ringLimitSeconds: RING_LIMIT },
    });
    board = await startBoard({
      brokerUrl: mosquitto.url,
      port: 0,
      auth: createAuth({ users: await boardUsers('*') }),
      stats: { storage },
    });
    [caller, anna, bo, switchboard, operator, browser] = await Promise.all([
      startPhone(kamailio, '1000'),
      startPhone(kamailio, '4711'),
      startPhone(kamailio, '4712'),
      startPhone(kamailio, SWITCHBOARD, 'auto'),
      // the operator's own set: a second registration of the switchboard's number, its calls transfers
      startPhone(kamailio, SWITCHBOARD),
      launchChromium(),
    ]);
    await Promise.all([recorder.ready, bridge.ready, board.session.ready]);
    await bridgeDecides(bridgePort, SWITCHBOARD);
    // the bridge watches both desks' lines: the first NOTIFY of each has come
    await vi.waitFor(() => expect([lines.get('4711'), lines.get('4712')]).toEqual(['idle', 'idle']), 15_000);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([caller, anna, bo, switchboard, operator].map((p) => p?.stop()));
    await browser?.close();
    await board?.close();
    await bridge?.stop();
    await recorder?.close();
    await storage?.close();
    await client?.endAsync();
    await kamailio?.dispose();
    await mosquitto?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const phones = () => [caller, anna, bo, switchboard, operator];
  /** the bridge's steps of the call that began at `from` (its first event), answers aside */
  const decided = (from: number) => events.slice(from).filter((e) => e.event !== 'answered');
  /** the call begun at `from` was answered, at `target` */
  const answeredAt = (from: number, target: string) =>
    vi.waitFor(
      () => {
        const call = events[from]?.call;
        const answer = events.slice(from).find((e) => e.event === 'answered' && e.call === call);
        expect(answer?.target).toBe(target);
      },
      { timeout: 15_000 },
    );
  const place = async (from: SipPhone, to: string) => {
    const mark = events.length;
    await from.dial(to);
    return mark;
  };
  const lineOnBoard = (page: Page, ext: string) =>
    page.locator(`[data-testid="row"][data-ext="${ext}"] [data-testid="line"]`);

  it('five real calls are on the statistics page per department and per person, and a busy desk on the board', async () => {
    onTestFailed(() => {
      console.log(
        events.map((e) => `${e.call.slice(0, 8)} ${e.event} ${e.to ?? ''} ${e.target ?? ''}`).join('\n'),
      );
      console.log(
        kamailio
          .log()
          .split('\n')
          .filter((l) => /hanvisa|ERROR/.test(l))
          .slice(-20)
          .join('\n'),
      );
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, board.url, 'olle');
    await page.locator('[data-testid="row"][data-ext="4711"]').waitFor();

    // 1. SAMSA: Anna at lunch forwards to Bo, whose phone takes it (the alternative answering point)
    await refer('4711', lunch({ kind: 'forward', to: '4712' }));
    await bridgeKnows(bridgePort, '4711', '4712');
    bo.answering('auto');
    const forwarded = await place(caller, '4711');
    await answeredAt(forwarded, '4712');
    expect(decided(forwarded)[0]).toMatchObject({ to: 'forward', target: '4712' });
    bo.answering('ring');
    await hangUpAll(phones());

    // 2. Grästorp/Högsby: at lunch with a note for the switchboard: the switchboard answers, told why
    await refer('4711', lunch({ kind: 'info', text: 'Bo vet' }));
    await bridgeKnows(bridgePort, '4711', SWITCHBOARD);
    const toSwitchboard = await place(caller, '4711');
    await answeredAt(toSwitchboard, SWITCHBOARD);
    expect(switchboard.log()).toMatch(/Hanvisa-Reason: Lunch, tillbaka \d\d:\d\d/);
    expect(lines.get('4711')).not.toBe('in-call');
    await hangUpAll(phones());

    // 3. Falkenberg/Guldborgsund: Bo is in but does not answer: it rings out to the switchboard, unreferred
    const rangOut = await place(caller, '4712');
    await answeredAt(rangOut, SWITCHBOARD);
    expect(decided(rangOut).map((e) => [e.event, e.cause])).toEqual([
      ['routed', 'available'],
      ['unanswered', undefined],
      ['routed', 'unanswered'],
    ]);
    await hangUpAll(phones());

    // 4. Guldborgsund: the operator transfers a caller to Bo, who answers; the board shows him on the phone
    bo.answering('auto');
    const transferred = await place(operator, '4712');
    await answeredAt(transferred, '4712');
    await expect.poll(() => lineOnBoard(page, '4712').textContent(), { timeout: 10_000 }).toBe('i samtal');
    await page.screenshot({ path: 'test-results/calls-to-statistics-board.png' });
    bo.answering('ring');
    await hangUpAll(phones());
    await lineOnBoard(page, '4712').waitFor({ state: 'detached' });

    // 5. the operator transfers to Anna, still at lunch: her desk rings the limit, and the call comes back
    const bounced = await place(operator, '4711');
    await answeredAt(bounced, SWITCHBOARD);
    expect(decided(bounced).map((e) => e.event)).toEqual(['routed', 'bounced', 'routed']);
    expect(decided(bounced)[0]).toMatchObject({ to: 'desk', target: '4711', transfer: true });
    await hangUpAll(phones());

    // what the recorder heard is in the store: the page replays today from it
    await vi.waitFor(async () => {
      await recorder.flush();
      expect(recorder.stats().pending).toBe(0);
    });
    const day = dayKey(Date.now(), 'Europe/Stockholm');
    await page.goto(`${board.url}stats?org=${ORG}&from=${day}&to=${day}`);
    await page.locator('[data-testid="status"][data-state="ready"]').waitFor({ state: 'attached' });
    const card = (key: string) => page.getAttribute(`[data-testid="card-${key}"]`, 'data-value');
    // Bo's ring-out: the one unanswered call at a desk that was not referred
    expect(await card('unreferred')).toBe('1');
    // answered in the department: Bo for Anna (1), Bo's transfer (4); the switchboard's answers are not
    expect(await card('answeredInRings')).toBe('2');
    expect(await card('answeredInRingsPct')).toBe('100');
    // two transfers, one answered, one back at the switchboard
    expect(await card('transfers')).toBe('2');
    expect(await card('transferredCorrectlyPct')).toBe('50');
    const cells = async (table: string, row: string) => {
      const heads = await page.locator(`[data-testid="${table}"] th`).allTextContents();
      const values = await page
        .locator(`[data-testid="${table}"] tr[data-row="${row}"] td`)
        .allTextContents();
      return (head: string) => values[heads.indexOf(head)];
    };
    const figures = ['Obesvarade utan hänvisning', 'Inom 4 signaler (%)', 'Rätt kopplade (%)'];
    const bygg = await cells('departments', 'Bygglov');
    expect(figures.map(bygg)).toEqual(['1', '100', '50']);
    const annaRow = await cells('people', '4711');
    expect(figures.map(annaRow)).toEqual(['0', '100', '0']);
    const boRow = await cells('people', '4712');
    expect(figures.map(boRow)).toEqual(['1', '100', '100']);
    await page.screenshot({ path: 'test-results/calls-to-statistics-page.png', fullPage: true });
    await page.close();
  }, 180_000);
});
