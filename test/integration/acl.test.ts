// The example production broker setup (deploy/mosquitto) enforces "one desk can never set another
// person's state": a real Mosquitto with the production settings, the committed ACL and per-device
// passwords made with mosquitto_passwd.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXAMPLES } from '../../protocol/contract.js';
import { decode, encode, type Message, type Presence } from '../../protocol/index.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const deploy = join(dirname(fileURLToPath(import.meta.url)), '../../deploy/mosquitto');
const USERS = ['desk-4711', 'desk-4712', 'board-grastorp', 'switchboard-grastorp', 'provisioning'] as const;
const password = (user: string) => `secret-${user}`;

/** The production conf's settings, minus what only makes sense on a real host (TLS, ports, paths, syslog). */
// The logins come from startMosquitto's `users`, so the production password_file line goes too.
function productionSettings(): string[] {
  const hostOnly =
    /^(listener|protocol|certfile|keyfile|cafile|tls_version|persistence|autosave_interval|log_|connection_messages|password_file)/;
  return readFileSync(join(deploy, 'mosquitto.conf'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !hostOnly.test(l))
    .map((l) => (l.startsWith('acl_file ') ? `acl_file ${join(deploy, 'acl')}` : l));
}

const presence = (ext: string, seq: number): Message =>
  ({
    ...EXAMPLES.presence,
    ext,
    body: { ...EXAMPLES.presence.body, seq, by: { kind: 'desk', id: `desk-${ext}` } },
  }) as Message;

describe('broker ACL (deploy/mosquitto)', () => {
  let broker: Mosquitto;
  const clients: MqttClient[] = [];

  async function connect(user: string, options: IClientOptions = {}): Promise<MqttClient> {
    const client = await mqtt.connectAsync(broker.url, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      username: user,
      password: password(user),
      clientId: `${user}-${clients.length}`,
      ...options,
    });
    clients.push(client);
    return client;
  }

  /** Collects every decoded message a client receives. */
  function record(client: MqttClient) {
    const seen: Message[] = [];
    client.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      if (r.ok) seen.push(r.message);
    });
    return seen;
  }

  async function publish(client: MqttClient, m: Message) {
    const e = encode(m);
    await client.publishAsync(e.topic, e.payload, { qos: e.qos, retain: e.retain });
  }

  beforeAll(async () => {
    broker = await startMosquitto({
      users: Object.fromEntries(USERS.map((user) => [user, password(user)])),
      config: productionSettings(),
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker?.dispose();
  });

  it('refuses anonymous clients and wrong passwords', async () => {
    await expect(mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 })).rejects.toThrow(
      /Not authorized/i,
    );
    await expect(
      mqtt.connectAsync(broker.url, {
        protocolVersion: 4,
        reconnectPeriod: 0,
        username: 'desk-4711',
        password: 'x',
      }),
    ).rejects.toThrow(/Not authorized|Bad username or password/i);
  });

  it("a desk publishes its own presence; another person's never reaches anyone", async () => {
    const board = await connect('board-grastorp');
    const seen = record(board);
    await board.subscribeAsync('hanvisa/v1/grastorp/presence/+', { qos: 1 });
    const deskA = await connect('desk-4711');

    // Same client, QoS 1: the broker forwards in order, so once the allowed one arrives the
    // forbidden one would already have.
    await publish(deskA, presence('4712', 1));
    await publish(deskA, presence('4711', 2));
    await vi.waitFor(() => expect(seen.map((m) => m.kind === 'presence' && m.ext)).toContain('4711'));
    expect(seen.filter((m) => m.kind === 'presence' && m.ext === '4712')).toEqual([]);

    // Nor was it retained: a fresh subscriber to 4712 alone gets nothing, then desk B's own value.
    const observer = await connect('board-grastorp');
    const later = record(observer);
    await observer.subscribeAsync('hanvisa/v1/grastorp/presence/4712', { qos: 1 });
    const deskB = await connect('desk-4712');
    await publish(deskB, presence('4712', 3));
    await vi.waitFor(() => expect(later).toHaveLength(1));
    expect(((later[0] as Message).body as Presence).by.id).toBe('desk-4712');
  });

  it('the operator board may set a referral for anyone in its organisation', async () => {
    const deskB = await connect('desk-4712');
    const seen = record(deskB);
    await deskB.subscribeAsync('hanvisa/v1/grastorp/presence/4712', { qos: 1 });
    const board = await connect('board-grastorp');
    const sick = presence('4712', 10);
    await publish(board, {
      ...sick,
      body: { ...(sick.body as Presence), by: { kind: 'operator', id: 'op-1' } },
    } as Message);
    await vi.waitFor(() =>
      expect(seen.some((m) => ((m.body as Presence | null)?.by.kind ?? '') === 'operator')).toBe(true),
    );
  });

  it('a device writes only its own device state; its will is accepted', async () => {
    const provisioning = await connect('provisioning');
    const seen = record(provisioning);
    await provisioning.subscribeAsync('hanvisa/v1/grastorp/device/+/state', { qos: 1 });
    const offline = encode({
      kind: 'device-state',
      org: 'grastorp',
      deviceId: 'desk-4711',
      body: { v: 1, online: false },
    });
    const deskA = await connect('desk-4711', {
      will: { topic: offline.topic, payload: offline.payload, qos: 1, retain: true },
    });
    await publish(deskA, { ...EXAMPLES['device-state'], deviceId: 'desk-4712' } as Message);
    await publish(deskA, EXAMPLES['device-state'] as Message);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toMatchObject({ deviceId: 'desk-4711', body: { online: true } });

    deskA.stream.destroy(); // a dead connection, not a clean disconnect: the broker sends the will
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]).toMatchObject({ deviceId: 'desk-4711', body: { online: false } });
  });

  it('no account writes a device state but its own desk, and only in its own organisation', async () => {
    const provisioning = await connect('provisioning');
    const seen = record(provisioning);
    await provisioning.subscribeAsync('hanvisa/v1/+/device/+/state', { qos: 1 });
    const state = (org: string, deviceId: string, ext: string) =>
      ({ kind: 'device-state', org, deviceId, body: { v: 1, online: true, ext } }) as Message;
    const deskA = await connect('desk-4711');
    // a spoofed "online" for its neighbour's extension, under its own id in another organisation, or
    // under a service account's name: each acknowledged by the broker (MQTT 3.1.1) and dropped
    await publish(deskA, state('essunga', 'desk-4711', '4712'));
    await publish(await connect('board-grastorp'), state('grastorp', 'board-grastorp', '4712'));
    await publish(await connect('switchboard-grastorp'), state('grastorp', 'switchboard-grastorp', '4712'));
    // Mosquitto forwards each publish as it takes it: once this later one is in, the others would be
    await publish(deskA, state('grastorp', 'desk-4711', '4711'));
    await vi.waitFor(() =>
      expect(seen.some((m) => (m.body as { ext?: string } | null)?.ext === '4711')).toBe(true),
    );
    // (an earlier test's retained will of desk-4711 may be among them)
    expect(new Set(seen.map((m) => `${m.org}/${'deviceId' in m && m.deviceId}`))).toEqual(
      new Set(['grastorp/desk-4711']),
    );
  });

  it("a desk cannot read another person's messages or voicemail", async () => {
    const deskA = await connect('desk-4711');
    const seen = record(deskA);
    // Mosquitto grants the subscriptions and applies the read ACL to each delivery.
    await deskA.subscribeAsync(['hanvisa/v1/grastorp/mwi/+/msg/+', 'hanvisa/v1/grastorp/#'], { qos: 1 });
    const board = await connect('board-grastorp');
    await publish(board, { ...EXAMPLES['mwi-message'], ext: '4712' });
    await publish(board, EXAMPLES['mwi-message']);
    const switchboard = await connect('switchboard-grastorp');
    await publish(switchboard, { ...EXAMPLES.voicemail, ext: '4712' });
    await publish(switchboard, EXAMPLES.voicemail);
    const exts = (kind: string) => seen.flatMap((m) => (m.kind === kind && 'ext' in m ? [m.ext] : []));
    // In order from one publisher: once its own has arrived, the neighbour's would have too.
    await vi.waitFor(() => expect(exts('mwi-message')).toContain('4711'));
    await vi.waitFor(() => expect(exts('voicemail')).toContain('4711'));
    expect([...exts('mwi-message'), ...exts('voicemail')]).not.toContain('4712');
  });

  it('one writer per retained topic: the switchboard side cannot write mwi, nor the board voicemail', async () => {
    // one board connection: the broker takes the username as client id, so a second would drop the first
    const board = await connect('board-grastorp');
    const seen = record(board);
    await board.subscribeAsync(['hanvisa/v1/grastorp/mwi/4799/msg/+', 'hanvisa/v1/grastorp/voicemail/4799'], {
      qos: 1,
    });
    const switchboard = await connect('switchboard-grastorp');
    await publish(switchboard, { ...EXAMPLES['mwi-message'], ext: '4799' });
    await publish(board, { kind: 'voicemail', org: 'grastorp', ext: '4799', body: { v: 1, count: 9 } });
    // then the rightful writers, each after its refused publish on the same connection: once both have
    // arrived, a stray one that got through would have arrived before them
    await publish(switchboard, { kind: 'voicemail', org: 'grastorp', ext: '4799', body: { v: 1, count: 1 } });
    await publish(board, { ...EXAMPLES['mwi-message'], ext: '4799' });
    await vi.waitFor(() =>
      expect(seen.map((m) => m.body)).toEqual(
        expect.arrayContaining([{ v: 1, count: 1 }, EXAMPLES['mwi-message'].body]),
      ),
    );
    expect(seen).toHaveLength(2);
  });

  it('over MQTT 5 a refused publish is answered "not authorized" (0x87)', async () => {
    const deskA = await connect('desk-4711', { protocolVersion: 5 });
    const e = encode(presence('4712', 99));
    await expect(deskA.publishAsync(e.topic, e.payload, { qos: 1, retain: true })).rejects.toMatchObject({
      code: 0x87,
    });
  });

  it("a desk cannot take over another desk's session by borrowing its client id", async () => {
    const deskB = await connect('desk-4712', { clientId: 'desk-4712' });
    const closed = new Promise<'closed'>((resolve) => deskB.once('close', () => resolve('closed')));
    await connect('desk-4711', { clientId: 'desk-4712' });
    // use_username_as_clientid: both sessions live. Had the ids collided, the broker would have dropped
    // desk B before accepting the impostor, so B's next round trip would lose the race to 'close'.
    const e = encode(presence('4712', 100));
    const alive = deskB
      .publishAsync(e.topic, e.payload, { qos: 1, retain: true })
      .then(() => 'alive' as const);
    expect(await Promise.race([alive, closed])).toBe('alive');
  });
});
