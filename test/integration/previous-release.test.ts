// Upgrades without a flag day (issue 25, docs/protocol.md "Compatibility between releases"): the desk
// agent of the previous release (releases.json, built from its commit) against today's board and phone
// bridge, and today's agent against the previous release's board and bridge, through real Mosquitto.
// On both sites a key press refers the person on the board and to the phone system, an operator's
// referral reaches the desk, a message taken on the board lights the desk's lamp and its "handled" key
// clears it on the board, and the phone bridge's voicemail and queue lamps light and go out. And a
// board of each release side by side (a pair upgraded one at a time) show the same messages and referrals.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as todayAgent from '../../agent/runtime/agent.js';
import * as todayConfig from '../../agent/runtime/config.js';
import type { LedFrame } from '../../hardware/port.js';
import * as todayPanel from '../../hardware/virtual/panel.js';
import { DEFAULT_QUEUE } from '../../protocol/layouts.js';
import * as todayBoard from '../../switchboard/board/server.js';
import * as todayBridge from '../../switchboard/phone/bridge.js';
import { publishMessage } from '../../switchboard/publish.js';
import { demoDirectory } from '../../switchboard/simulator/scenario.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { openOperator } from '../support/open-operator.js';
import { buildCommit, hasCommit, previousRelease } from '../support/previous-release.js';
import { scriptedPhone } from '../support/scripted-phone.js';

const EXT = '2101';
// DEFAULT_LAYOUT, unchanged since 0.1.0: LED 0 available, 1-8 the reasons (2 meeting, 4 sick), 9 message, 10 queue
const SICK = 4;
const MEETING = 2;
const MESSAGE = 9;
const QUEUE = 10;
const HANDLED_KEY = 11;

/** What the test uses of a release: the same module paths and calls in 0.1.0 and today. */
interface Parts {
  agent: Pick<typeof todayAgent, 'startAgent' | 'AGENT_VERSION'>;
  config: Pick<typeof todayConfig, 'parseConfig'>;
  panel: Pick<typeof todayPanel, 'VirtualPanel'>;
  board: Pick<typeof todayBoard, 'startBoard'>;
  bridge: Pick<typeof todayBridge, 'startBridge'>;
}

const today: Parts = {
  agent: todayAgent,
  config: todayConfig,
  panel: todayPanel,
  board: todayBoard,
  bridge: todayBridge,
};

async function builtParts(root: string): Promise<Parts> {
  const load = (path: string) => import(join(root, 'dist', path));
  return {
    agent: await load('agent/runtime/agent.js'),
    config: await load('agent/runtime/config.js'),
    panel: await load('hardware/virtual/panel.js'),
    board: await load('switchboard/board/server.js'),
    bridge: await load('switchboard/phone/bridge.js'),
  };
}

const previous = previousRelease();
const history = await hasCommit(previous.commit);
if (!history)
  console.error(
    `\n*** SKIPPED: release ${previous.version}'s commit ${previous.commit} is not in this clone (shallow?): ` +
      'the cross-release test cannot build it. Fetch the full history (git fetch --unshallow). ***\n',
  );

describe.skipIf(!history)(`release ${previous.version} beside today's`, () => {
  let mosquitto: Mosquitto;
  let older: Parts;
  let journals: string;

  beforeAll(async () => {
    journals = await mkdtemp(join(tmpdir(), 'hanvisa-releases-'));
    [mosquitto, older] = await Promise.all([
      startMosquitto(),
      buildCommit(previous.version, previous.commit).then(builtParts),
    ]);
    // the desk that reports the previous release is the previous release's code
    expect(older.agent.AGENT_VERSION).toBe(previous.version);
  }, 180_000);
  afterAll(async () => {
    await mosquitto?.dispose();
    await rm(journals, { recursive: true, force: true });
  });

  /** One organisation on the broker with one desk (`desk`'s release) and a board and bridge (`site`'s). */
  async function site(org: string, desk: Parts, site: Parts) {
    const publisher = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    for (const m of demoDirectory(org)) await publishMessage(publisher, m);
    await publisher.endAsync();
    const phone = scriptedPhone();
    const bridge = site.bridge.startBridge({ brokerUrl: mosquitto.url, org, phone });
    const board = await site.board.startBoard({ brokerUrl: mosquitto.url, port: 0, orgs: [org] });
    const panel = new desk.panel.VirtualPanel();
    const agent = await desk.agent.startAgent(
      desk.config.parseConfig({
        org,
        ext: EXT,
        deviceId: `desk-${org}`,
        broker: { url: mosquitto.url },
        journalPath: join(journals, `${org}.journal.json`),
      }),
      { panel, settleMs: 100 },
    );
    await bridge.ready;
    const lamp = (led: number, pattern: (p: string | undefined) => boolean) =>
      vi.waitFor(
        () =>
          expect(
            pattern((panel.frame as LedFrame)[led]?.pattern),
            `LED ${led} in ${JSON.stringify(panel.frame)}`,
          ).toBe(true),
        { timeout: 10_000 },
      );
    const { post } = await openOperator(board.url);
    const close = async () => {
      await agent.stop();
      await board.close();
      await bridge.stop();
    };
    return { board, panel, phone, lamp, post, close };
  }

  async function referralsMessagesAndLamps(org: string, desk: Parts, board: Parts) {
    const s = await site(org, desk, board);
    try {
      // referrals both ways: the desk's key reaches the board and the phone system, the operator's
      // referral reaches the desk
      await s.lamp(0, (p) => p === 'on');
      s.panel.tap(SICK);
      await vi.waitFor(() => expect(s.board.model.row(org, EXT)?.reason).toBe('sick'), { timeout: 10_000 });
      await vi.waitFor(() =>
        expect(s.phone.referrals.at(-1)).toMatchObject({ ext: EXT, presence: { reason: 'sick' } }),
      );
      expect((await s.post(`/api/presence/${org}/${EXT}`, { reason: 'meeting' })).status).toBe(200);
      await s.lamp(MEETING, (p) => p === 'on');
      await s.lamp(SICK, (p) => p === 'off');

      // a message taken on the board lights the desk's lamp; the desk's "handled" key clears it on the board
      const taken = await s.post(`/api/messages/${org}/${EXT}`, { from: 'Lena Holm', text: 'Ring tillbaka' });
      expect(taken.status).toBe(201);
      await s.lamp(MESSAGE, (p) => p !== 'off' && p !== undefined);
      s.panel.tap(HANDLED_KEY);
      await vi.waitFor(() => expect(s.board.model.row(org, EXT)?.messages).toBe(0), { timeout: 10_000 });
      await s.lamp(MESSAGE, (p) => p === 'off');

      // the phone bridge's lamps (its link up): the desk's queue, and voicemail on the message lamp
      const phone = s.phone.listener();
      phone.link(true);
      phone.queue({ queueId: DEFAULT_QUEUE, waiting: 2, oldestSince: Date.now() - 5000 });
      phone.voicemail(EXT, 1);
      await s.lamp(QUEUE, (p) => p !== 'off' && p !== undefined);
      await s.lamp(MESSAGE, (p) => p !== 'off' && p !== undefined);
      await vi.waitFor(() => expect(s.board.model.row(org, EXT)?.voicemail).toBe(1), { timeout: 10_000 });
      phone.voicemail(EXT, 0);
      phone.queue({ queueId: DEFAULT_QUEUE, waiting: 0, oldestSince: null });
      await s.lamp(MESSAGE, (p) => p === 'off');
      await s.lamp(QUEUE, (p) => p === 'off');
    } finally {
      await s.close();
    }
  }

  it(`the ${previous.version} desk agent on today's board and phone bridge`, async () => {
    await referralsMessagesAndLamps('olddesk', older, today);
  });

  it(`today's desk agent on the ${previous.version} board and phone bridge`, async () => {
    await referralsMessagesAndLamps('oldboard', today, older);
  });

  it(`a board of each release side by side (one upgraded before the other): the same messages and referrals`, async () => {
    const org = 'twoboards';
    const publisher = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    for (const m of demoDirectory(org)) await publishMessage(publisher, m);
    await publisher.endAsync();
    const boards = await Promise.all(
      [older, today].map((r) => r.board.startBoard({ brokerUrl: mosquitto.url, port: 0, orgs: [org] })),
    );
    try {
      const [old, now] = boards as [todayBoard.Board, todayBoard.Board];
      const rows = (pick: (row: ReturnType<todayBoard.Board['model']['row']>) => unknown, want: unknown) =>
        vi.waitFor(() => expect(boards.map((b) => pick(b.model.row(org, EXT)))).toEqual([want, want]), {
          timeout: 10_000,
        });
      await rows((r) => r !== undefined, true); // the directory is in
      const [onOld, onNow] = await Promise.all([openOperator(old.url), openOperator(now.url)]);
      const ids: string[] = [];
      for (const [operator, text] of [
        [onOld, 'Tagen på den gamla tavlan'],
        [onNow, 'Tagen på den nya tavlan'],
      ] as const) {
        const res = await operator.post(`/api/messages/${org}/${EXT}`, { from: 'Lena Holm', text });
        expect(res.status).toBe(201);
        ids.push(((await res.json()) as { message: { id: string } }).message.id);
      }
      await rows((r) => r?.phoneMessages?.map((m) => m.id).sort(), [...ids].sort());
      // each handles the other's message: both gone from both
      for (const [operator, id] of [
        [onOld, ids[1]],
        [onNow, ids[0]],
      ] as const)
        expect((await operator.post(`/api/messages/${org}/${EXT}/${id}/handled`, {})).status).toBe(200);
      await rows((r) => r?.messages, 0);
      // a referral set on either shows on both
      expect((await onOld.post(`/api/presence/${org}/${EXT}`, { reason: 'lunch' })).status).toBe(200);
      await rows((r) => r?.reason, 'lunch');
      expect((await onNow.post(`/api/presence/${org}/${EXT}`, { reason: 'meeting' })).status).toBe(200);
      await rows((r) => r?.reason, 'meeting');
    } finally {
      for (const b of boards) await b.close();
    }
  });
});
