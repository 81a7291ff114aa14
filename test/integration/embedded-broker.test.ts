// The embedded broker (what `npm start` and `hanvisa broker` run) keeps the contract's 64 KiB cap for
// everyone, and with --passwd/--devices the same logins and per-account rules as the production
// Mosquitto (protocol/acl.ts's rule table; test/integration/acl.test.ts runs those on Mosquitto).
// Beyond loopback it refuses to run without logins.
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../cli/usage-error.js';
import { EXAMPLES } from '../../protocol/contract.js';
import {
  EXAMPLE_ACL,
  encode,
  MAX_PAYLOAD_BYTES,
  type Message,
  messagesFilter,
} from '../../protocol/index.js';
import { ContractSession } from '../../session/contract-session.js';
import { brokerCommand } from '../../switchboard/broker/command.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import { parsePasswordFile } from '../../switchboard/broker/passwords.js';
import { linesContext } from '../support/command.js';
import { writePasswordFile } from '../support/mosquitto.js';

/** The machine is shared and loaded: wait generously for what must happen. */
const eventually = <T>(check: () => T) => vi.waitFor(check, { timeout: 10_000 });

const USERS = ['desk-4711', 'desk-4712', 'board-grastorp', 'switchboard-grastorp', 'provisioning'];
const password = (user: string) => `secret-${user}`;
const clients: MqttClient[] = [];
let dir: string;

async function connect(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, ...options });
  clients.push(client);
  return client;
}
const as = (user: string, extra: IClientOptions = {}): IClientOptions => ({
  username: user,
  password: password(user),
  ...extra,
});

/** Every message a client receives, by topic. */
function record(client: MqttClient): string[] {
  const topics: string[] = [];
  client.on('message', (topic) => topics.push(topic));
  return topics;
}

async function publish(client: MqttClient, m: Message) {
  const e = encode(m);
  await client.publishAsync(e.topic, e.payload, { qos: 1, retain: e.retain });
}

/** Resolves when the broker drops the client (aedes closes a refused publisher, as MQTT-3.3.5-2 allows). */
const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once('close', () => resolve()));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-embedded-'));
  await writePasswordFile(join(dir, 'passwd'), Object.fromEntries(USERS.map((u) => [u, password(u)])));
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await rm(dir, { recursive: true, force: true });
});

describe('the embedded broker as a loopback demo (no logins)', () => {
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
  });
  afterAll(() => broker.close());

  it('refuses a payload over 64 KiB: not retained, not forwarded; 64 KiB itself passes', async () => {
    const watcher = await connect(broker.url);
    const seen = record(watcher);
    await watcher.subscribeAsync('big/#', { qos: 1 });
    const publisher = await connect(broker.url);
    const gone = closed(publisher);
    publisher.publish('big/one', Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20), { qos: 1, retain: true });
    await gone;
    expect(broker.refused.size).toBe(1);
    const ok = await connect(broker.url);
    await ok.publishAsync('big/fits', Buffer.alloc(MAX_PAYLOAD_BYTES, 0x20), { qos: 1, retain: true });
    await eventually(() => expect(seen).toEqual(['big/fits']));
    // a late subscriber finds only the one that fits retained
    const late = await connect(broker.url);
    const retained = record(late);
    await late.subscribeAsync('big/#', { qos: 1 });
    await eventually(() => expect(retained).toEqual(['big/fits']));
  });

  it('closes a connection whose packet header announces 10 MB, before the body arrives', async () => {
    const socket = connectTcp(broker.port, '127.0.0.1');
    const gone = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    // CONNECT (MQTT 3.1.1, clean session, client id "big"), then a PUBLISH that says 10 MB follow
    const connect = Buffer.from([
      0x10, 15, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 2, 0, 60, 0, 3, 0x62, 0x69, 0x67,
    ]);
    const length = 10 * 1024 * 1024; // remaining length as MQTT's varint
    const varint = [
      (length & 0x7f) | 0x80,
      ((length >> 7) & 0x7f) | 0x80,
      ((length >> 14) & 0x7f) | 0x80,
      length >> 21,
    ];
    const before = broker.refused.size;
    socket.write(Buffer.concat([connect, Buffer.from([0x31, ...varint]), Buffer.from('\x00\x03big')]));
    await gone;
    expect(broker.refused.size).toBe(before + 1);
  });

  it('will not listen beyond loopback without logins: a usage error (exit 2) from hanvisa broker', async () => {
    await expect(startEmbeddedBroker({ port: 0, host: '0.0.0.0' })).rejects.toThrow(/needs logins/);
    await expect(brokerCommand(['--host', '0.0.0.0', '--port', '0'])).rejects.toBeInstanceOf(UsageError);
    await expect(brokerCommand(['--devices', 'x.csv'])).rejects.toThrow(/--devices needs --passwd/);
  });
});

describe('the embedded broker with logins and the ACL rule table', () => {
  let broker: EmbeddedBroker;
  beforeAll(async () => {
    const check = parsePasswordFile(
      await import('node:fs').then((fs) => fs.readFileSync(join(dir, 'passwd'), 'utf8')),
    );
    broker = await startEmbeddedBroker({ port: 0, host: '0.0.0.0', accounts: { check, acl: EXAMPLE_ACL } });
  });
  afterAll(() => broker.close());

  it('refuses anonymous clients and wrong passwords (mosquitto_passwd hashes)', async () => {
    await expect(connect(broker.url)).rejects.toThrow(/Bad username or password|Not authorized/i);
    await expect(connect(broker.url, { username: 'desk-4711', password: 'x' })).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    await connect(broker.url, as('desk-4711'));
    expect(broker.refused.login).toBe(2);
  });

  it("a desk sets only its own presence and device state, and never reads its neighbour's messages", async () => {
    const board = await connect(broker.url, as('board-grastorp'));
    const seen = record(board);
    await board.subscribeAsync('hanvisa/v1/#', { qos: 1 });
    const spoofer = await connect(broker.url, as('desk-4711'));
    const gone = closed(spoofer);
    // a neighbour shown online: refused, and the connection closed
    void publish(spoofer, { ...EXAMPLES['device-state'], deviceId: 'desk-4712' } as Message).catch(() => {});
    await gone;
    const desk = await connect(broker.url, as('desk-4711'));
    const mine = record(desk);
    await desk.subscribeAsync(['hanvisa/v1/grastorp/#'], { qos: 1 });
    await publish(board, { ...EXAMPLES['mwi-message'], ext: '4712' });
    await publish(board, EXAMPLES['mwi-message']);
    await publish(desk, EXAMPLES['device-state'] as Message);
    await publish(desk, EXAMPLES.presence as Message);
    await eventually(() => expect(mine).toContain('hanvisa/v1/grastorp/mwi/4711/msg/msg-981'));
    expect(mine).not.toContain('hanvisa/v1/grastorp/mwi/4712/msg/msg-981');
    await eventually(() => expect(seen).toContain('hanvisa/v1/grastorp/presence/4711'));
    expect(seen).not.toContain('hanvisa/v1/grastorp/device/desk-4712/state');
    expect(seen).toContain('hanvisa/v1/grastorp/device/desk-4711/state');
    expect(broker.refused.publish).toBe(1);
  });

  it('the board writes no device state; a subscription it can never read is refused', async () => {
    const board = await connect(broker.url, as('board-grastorp'));
    const gone = closed(board);
    void publish(board, { ...EXAMPLES['device-state'], deviceId: 'board-grastorp' } as Message).catch(
      () => {},
    );
    await gone;
    const desk = await connect(broker.url, as('desk-4712'));
    // negated in the SUBACK (0x80), which mqtt.js reports as an error
    await expect(desk.subscribeAsync('hanvisa/v1/essunga/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    await desk.subscribeAsync('hanvisa/v1/grastorp/#', { qos: 1 }); // something there it may read
    expect(broker.refused.subscribe).toBe(1);
  });

  it("a desk cannot take over another desk's session by borrowing its client id", async () => {
    const deskB = await connect(broker.url, as('desk-4712', { clientId: 'desk-4712' }));
    const dropped = closed(deskB);
    await connect(broker.url, as('desk-4711', { clientId: 'desk-4712' }));
    const e = encode({ ...(EXAMPLES.presence as Message), ext: '4712' } as Message);
    const alive = deskB.publishAsync(e.topic, e.payload, { qos: 1 }).then(() => 'alive' as const);
    expect(await Promise.race([alive, dropped.then(() => 'dropped' as const)])).toBe('alive');
  });

  it('hanvisa broker --passwd --devices serves the devices file with the same rules', async () => {
    await writeFile(join(dir, 'devices.csv'), 'device,ext\ndesk-4711,4711\n');
    const abort = new AbortController();
    const hangup = new EventEmitter();
    const lines: string[] = [];
    const running = brokerCommand(
      [
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--passwd',
        join(dir, 'passwd'),
        '--devices',
        join(dir, 'devices.csv'),
        '--org',
        'grastorp',
      ],
      linesContext({ signal: abort.signal, out: (l) => lines.push(l), hangup }),
    );
    await eventually(() => expect(lines[0]).toMatch(/^broker mqtt:/));
    const url = (lines[0] as string).slice('broker '.length);
    await expect(connect(url)).rejects.toThrow();
    const desk = await connect(url, as('desk-4711'));
    await publish(desk, EXAMPLES.presence as Message);
    // desk-4712 has a password but is not in the devices file yet: logged in, allowed nothing
    const other = await connect(url, as('desk-4712'));
    const refusedOnce = closed(other);
    void publish(other, { ...(EXAMPLES.presence as Message), ext: '4712' } as Message).catch(() => {});
    await refusedOnce;
    // IT adds it and reloads (SIGHUP): the rules apply without a restart
    await writeFile(join(dir, 'devices.csv'), 'device,ext\ndesk-4711,4711\ndesk-4712,4712\n');
    hangup.emit('SIGHUP');
    await eventually(() => expect(lines).toContain('accounts reloaded'));
    const added = await connect(url, as('desk-4712'));
    await publish(added, { ...(EXAMPLES.presence as Message), ext: '4712' } as Message);
    expect(added.connected).toBe(true);
    abort.abort();
    await running;
  });

  it('a desk with one refused subscription still comes online, and the log names the refused filter and counts it', async () => {
    const own = messagesFilter('grastorp', '4711');
    const foreign = messagesFilter('grastorp', '4712');
    const errors: { message: string; fields?: Record<string, unknown> }[] = [];
    let ready = 0;
    const link = new ContractSession({
      url: broker.url,
      clientId: 'desk-4711',
      login: { username: 'desk-4711', password: password('desk-4711') },
      keepaliveSeconds: 5,
      will: encode(EXAMPLES['device-state']),
      filters: [own, foreign],
      log: {
        debug() {},
        info() {},
        warn() {},
        error: (message, fields) => errors.push({ message, fields }),
      },
    });
    link.bus.on('subscribed', () => ready++);
    await link.start([]);
    try {
      await eventually(() => expect(ready).toBe(1));
      expect(errors).toEqual([
        { message: 'subscription refused by the broker', fields: { topics: [foreign] } },
      ]);
      expect(link.withheld()).toMatchObject({ subscriptions: 1 });
    } finally {
      await link.close();
    }
  });
});
