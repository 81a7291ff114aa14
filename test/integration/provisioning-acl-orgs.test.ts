// One broker, several organisations: `hanvisa devices acl` renders one ACL from a devices file with an
// org column, Mosquitto loads it, and real desk agents in two organisations, both on extension 4711,
// each set only their own organisation's 4711; a desk's write into the other organisation is dropped.
// The recorder logs in as the ACL's recorder account and records both, and may write nothing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { parseConfig } from '../../agent/runtime/config.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';
import { EXAMPLES } from '../../protocol/contract.js';
import { decode, encode, type Message, type Presence } from '../../protocol/index.js';
import { devicesCommand } from '../../switchboard/provisioning/devices-command.js';
import { startRecorder } from '../../switchboard/recorder/recorder.js';
import { openStorage } from '../../switchboard/recorder/storage/open.js';
import { runCommand } from '../support/command.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { retainedAs } from '../support/retained.js';

const DESKS = [
  { org: 'lerum', deviceId: 'desk-l' },
  { org: 'vargarda', deviceId: 'desk-v' },
];
const USERS = ['provisioning', 'desk-l', 'desk-v', 'board-lerum', 'board-vargarda', 'recorder'];
const password = (user: string) => `secret-${user}`;

describe('one ACL for two organisations on one broker', () => {
  let dir: string;
  let broker: Mosquitto;
  const clients: MqttClient[] = [];
  const agents: Agent[] = [];

  const connect = async (user: string) => {
    const client = await mqtt.connectAsync(broker.url, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      username: user,
      password: password(user),
      clientId: `${user}-${clients.length}`,
    });
    clients.push(client);
    return client;
  };
  /** A board's presence messages, each with its organisation. */
  const watch = async (board: string) => {
    const client = await connect(board);
    const seen: { org: string; ext: string; body: Presence }[] = [];
    client.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      if (r.ok && r.message.kind === 'presence' && r.message.body)
        seen.push({ org: r.message.org, ext: r.message.ext, body: r.message.body });
    });
    // every organisation's presence: the ACL decides what arrives
    await client.subscribeAsync('hanvisa/v1/+/presence/+', { qos: 1 });
    return seen;
  };

  /** The retained presence a fresh connection of a board gets, from every organisation the ACL lets it read. */
  const retained = async (board: string) => {
    const kept = await retainedAs(
      broker.url,
      { username: board, password: password(board) },
      ['hanvisa/v1/+/presence/+'],
      `hanvisa/v1/${board.replace(/^board-/, '')}/presence/9`,
    );
    return [...kept].flatMap(([topic, { payload }]) => {
      const r = decode(topic, payload);
      return r.ok && r.message.kind === 'presence' && r.message.body
        ? [{ org: r.message.org, ext: r.message.ext, body: r.message.body }]
        : [];
    });
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-acl-orgs-'));
    const devices = join(dir, 'devices.csv');
    await writeFile(
      devices,
      `org;device;ext\n${DESKS.map((d) => `${d.org};${d.deviceId};4711`).join('\n')}\n`,
    );
    const acl = await runCommand(devicesCommand, ['acl', '--devices', devices]);
    expect(acl).toMatchObject({ code: 0, stderr: '' });
    await writeFile(join(dir, 'acl'), acl.stdout);
    broker = await startMosquitto({
      users: Object.fromEntries(USERS.map((user) => [user, password(user)])),
      config: [`acl_file ${join(dir, 'acl')}`],
    });
  });
  afterAll(async () => {
    for (const a of agents) await a.stop();
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("each desk sets its own organisation's 4711, and each board sees only its organisation", async () => {
    const lerum = await watch('board-lerum');
    const vargarda = await watch('board-vargarda');
    const panels: VirtualPanel[] = [];
    for (const { org, deviceId } of DESKS) {
      const panel = new VirtualPanel({ hardwareId: `virt-${deviceId}` });
      const config = parseConfig({
        org,
        ext: '4711',
        deviceId,
        broker: { url: broker.url, username: deviceId, password: password(deviceId) },
        journalPath: join(dir, `${deviceId}.journal.json`),
      });
      const agent = await startAgent(config, { panel, settleMs: 100 });
      agents.push(agent);
      await vi.waitFor(() => expect(agent.synced).toBe(true), { timeout: 5000 });
      panels.push(panel);
    }
    panels[0]?.tap(1);
    panels[1]?.tap(2);
    await vi.waitFor(
      () => expect(lerum.at(-1)?.body).toMatchObject({ reason: 'lunch', by: { id: 'desk-l' } }),
      {
        timeout: 5000,
      },
    );
    await vi.waitFor(
      () => expect(vargarda.at(-1)?.body).toMatchObject({ reason: 'meeting', by: { id: 'desk-v' } }),
      { timeout: 5000 },
    );

    // desk-l, as if configured for the wrong organisation, writes vargarda's 4711: the broker drops it
    // (and acknowledges it, MQTT 3.1.1 has no refusal), so vargarda's 4711 stays desk-v's.
    const deskL = await connect('desk-l');
    const e = encode({
      ...EXAMPLES.presence,
      org: 'vargarda',
      ext: '4711',
      body: { ...EXAMPLES.presence.body, seq: 9001, by: { kind: 'desk', id: 'desk-l' } },
    } as Message);
    await deskL.publishAsync(e.topic, e.payload, { qos: 1, retain: e.retain });
    expect(await retained('board-vargarda')).toEqual([
      { org: 'vargarda', ext: '4711', body: expect.objectContaining({ by: { kind: 'desk', id: 'desk-v' } }) },
    ]);
    expect(await retained('board-lerum')).toEqual([
      { org: 'lerum', ext: '4711', body: expect.objectContaining({ by: { kind: 'desk', id: 'desk-l' } }) },
    ]);
    expect(vargarda.map((p) => p.body.by.id)).not.toContain('desk-l');
  });

  it("records every organisation as the ACL's recorder, which may write nothing", async () => {
    const storage = await openStorage(join(dir, 'record.db'));
    const recorder = await startRecorder({
      brokerUrl: broker.url,
      credentials: { username: 'recorder', password: password('recorder') },
      storage,
      batchMs: 20,
    });
    try {
      await recorder.ready;
      const recorded = async (org: string) =>
        (await storage.events(org, 0, Number.MAX_SAFE_INTEGER)).filter((e) => e.kind === 'presence');
      await vi.waitFor(
        async () => {
          expect(await recorded('lerum')).toHaveLength(1);
          expect(await recorded('vargarda')).toHaveLength(1);
        },
        { timeout: 5000 },
      );
      // its login writes nothing: a presence published as the recorder is dropped
      const asRecorder = await connect('recorder');
      const e = encode({
        ...EXAMPLES.presence,
        org: 'lerum',
        ext: '4711',
        body: { ...EXAMPLES.presence.body, seq: 9002, by: { kind: 'desk', id: 'recorder' } },
      } as Message);
      await asRecorder.publishAsync(e.topic, e.payload, { qos: 1, retain: e.retain });
      expect(await retained('board-lerum')).toEqual([
        { org: 'lerum', ext: '4711', body: expect.objectContaining({ by: { kind: 'desk', id: 'desk-l' } }) },
      ]);
    } finally {
      await recorder.close();
      await storage.close();
    }
  });
});
