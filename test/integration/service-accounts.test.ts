// Following the deploy docs on a real Mosquitto: `hanvisa devices acl` renders every account the docs
// create, and with that file the recorder records everything (not 2 events of 16), the calendar bridge's
// referrals arrive, and each account can write and read exactly what the rule table says, no more.
// A service whose account the ACL leaves out says so loudly (session/contract-session.ts) instead of
// logging "recording…" over an empty store.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXAMPLES } from '../../protocol/contract.js';
import {
  allows,
  decode,
  type Grant,
  KINDS,
  type Message,
  type Presence,
  type TopicRef,
  topicFor,
} from '../../protocol/index.js';
import { type Clock, systemClock } from '../../rules/clock.js';
import { startCalendarBridge } from '../../switchboard/calendar/bridge.js';
import { prefixRules } from '../../switchboard/calendar/prefixes.js';
import { devicesCommand } from '../../switchboard/provisioning/devices-command.js';
import { publishMessage } from '../../switchboard/publish.js';
import { startRecorder } from '../../switchboard/recorder/recorder.js';
import { openStorage } from '../../switchboard/recorder/storage/open.js';
import { runCommand } from '../support/command.js';
import { vcalendar, vevent } from '../support/ics.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const ORG = 'acltown';
const OTHER = 'othertown';
const password = (user: string) => `secret-${user}`;
/** The test's own eyes: reads and writes everything (not part of what the command renders). */
const OBSERVER = 'observer';
/** Has a password but no line in the ACL: what the recorder was before the ACL named it. */
const STRANGER = 'stranger';
const PARAMS = { ext: '4711', deviceId: 'desk-1', queueId: 'q1', departmentId: 'd1', messageId: 'm1' };
const topicOf = (kind: (typeof KINDS)[number], org: string) => topicFor({ kind, org, ...PARAMS } as TopicRef);
const eventually = <T>(check: () => T) => vi.waitFor(check, { timeout: 15_000 });

/** The accounts of a rendered ACL file, as Mosquitto reads it. */
function accountsOf(acl: string): Map<string, Grant[]> {
  const accounts = new Map<string, Grant[]>();
  for (const block of acl.split('\n\n')) {
    const user = /^user (\S+)$/m.exec(block)?.[1];
    if (!user) continue;
    const grants = [...block.matchAll(/^topic (read|write|readwrite) (\S+)$/gm)].map(
      ([, access, filter]) => ({
        access: access as Grant['access'],
        filter: filter as string,
      }),
    );
    accounts.set(user, grants);
  }
  return accounts;
}

describe('every account the docs create, on Mosquitto with the rendered ACL', () => {
  let dir: string;
  let broker: Mosquitto;
  let accounts: Map<string, Grant[]>;
  const clients: MqttClient[] = [];

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
  const login = (user: string) => ({ username: user, password: password(user) });
  /** A contract message published by `user` on a connection of its own (Mosquitto drops it after a denied one). */
  const publishAs = async (user: string, message: Message) => {
    const client = await connect(user);
    await publishMessage(client, message);
    await client.endAsync(true);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-service-accounts-'));
    const devices = join(dir, 'devices.csv');
    await writeFile(
      devices,
      `org;device;ext\n${ORG};desk-1;4711\n${ORG};desk-2;4712\n${OTHER};desk-3;4711\n`,
    );
    const rendered = await runCommand(devicesCommand, [
      'acl',
      '--devices',
      devices,
      '--org-user',
      `${ORG}=org-${ORG}`,
      '--import-user',
      `${ORG}=import-${ORG}`,
    ]);
    expect(rendered).toMatchObject({ code: 0, stderr: '' });
    accounts = accountsOf(rendered.stdout);
    // the accounts docs/deploy.md, recorder.md, calendar.md, phone.md and org-settings.md create
    expect([...accounts.keys()].sort()).toEqual(
      [
        ...[ORG, OTHER].flatMap((org) => [`board-${org}`, `switchboard-${org}`, `calendar-${org}`]),
        'recorder',
        `org-${ORG}`,
        `import-${ORG}`,
        'provisioning',
        'desk-1',
        'desk-2',
        'desk-3',
      ].sort(),
    );
    await writeFile(join(dir, 'acl'), `${rendered.stdout}\nuser ${OBSERVER}\ntopic readwrite #\n`);
    const users = [...accounts.keys(), OBSERVER, STRANGER];
    broker = await startMosquitto({
      users: Object.fromEntries(users.map((u) => [u, password(u)])),
      config: [`acl_file ${join(dir, 'acl')}`],
    });
    // the directory and the settings, as the import and hanvisa org put them there
    await publishAs(`import-${ORG}`, { ...EXAMPLES['directory-person'], org: ORG, ext: '4711' });
    await publishAs(`org-${ORG}`, { ...EXAMPLES['directory-org'], org: ORG });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the recorder records what every service publishes; left out of the ACL, it says so', async () => {
    const storage = await openStorage(join(dir, 'record.db'));
    const recorder = await startRecorder({
      brokerUrl: broker.url,
      credentials: login('recorder'),
      storage,
      orgs: [ORG],
      batchMs: 20,
    });
    try {
      await recorder.ready;
      const desk = { kind: 'desk' as const, id: 'desk-1' };
      const sent: [string, Message][] = [
        [
          'desk-1',
          {
            ...EXAMPLES.presence,
            org: ORG,
            ext: '4711',
            body: { ...EXAMPLES.presence.body, by: desk },
          } as Message,
        ],
        ['desk-1', { ...EXAMPLES['device-state'], org: ORG, deviceId: 'desk-1' }],
        [`board-${ORG}`, { ...EXAMPLES['mwi-message'], org: ORG }],
        [`board-${ORG}`, { ...EXAMPLES['mwi-handled'], org: ORG }],
        [`switchboard-${ORG}`, { ...EXAMPLES.queue, org: ORG }],
        [`switchboard-${ORG}`, { ...EXAMPLES.voicemail, org: ORG }],
        [`switchboard-${ORG}`, { ...EXAMPLES['call-event'], org: ORG }],
        [`import-${ORG}`, { ...EXAMPLES['directory-department'], org: ORG }],
      ];
      for (const [user, message] of sent) await publishAs(user, message);
      const kinds = async () =>
        new Set((await storage.events(ORG, 0, Number.MAX_SAFE_INTEGER)).map((e) => e.kind));
      await eventually(async () =>
        expect([...(await kinds())].sort()).toEqual(
          [
            'presence',
            'device-state',
            'mwi-message',
            'mwi-handled',
            'queue',
            'voicemail',
            'call',
            'directory-person',
            'directory-department',
            'directory-org',
            'recorder',
          ].sort(),
        ),
      );
      expect(recorder.stats().withheld).toEqual({ subscriptions: 0, retained: 0, publishes: 0 });
    } finally {
      await recorder.close();
    }

    // the same recorder on an account the ACL does not name: nothing arrives, and that is counted
    const stranger = await startRecorder({
      brokerUrl: broker.url,
      credentials: login(STRANGER),
      storage,
      orgs: [ORG],
      batchMs: 20,
    });
    try {
      await eventually(() => expect(stranger.stats().withheld.retained).toBe(1));
      expect(stranger.stats().received).toBe(0);
    } finally {
      await stranger.close();
      await storage.close();
    }
  });

  it("the calendar bridge's referral and status arrive; on another organisation's account its writes are noticed as dropped", async () => {
    const MIN = 60_000;
    // a Wednesday morning in Stockholm, so the meeting is inside working hours whenever the test runs
    const offset = Date.parse('2026-12-02T09:00:00.000Z') - Date.now();
    const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
    const now = Math.floor(clock.now() / 1000) * 1000;
    const ics = vcalendar(vevent('m1', 'SAM: Budget', now - 10 * MIN, now + 50 * MIN));
    const bridgeAs = (user: string) =>
      startCalendarBridge({
        brokerUrl: broker.url,
        login: login(user),
        org: ORG,
        people: [
          {
            ext: '4712',
            source: {
              label: 'memory',
              fetch: async () => ({ changed: true, calendars: [ics], validators: {} }),
            },
          },
        ],
        rules: prefixRules(['sv']),
        gapMinutes: 0,
        privateReason: 'out',
        pollMs: 3600_000,
        settleMs: 200,
        clock,
      });
    const board = await connect(`board-${ORG}`);
    const seen: Message[] = [];
    board.on('message', (topic, payload) => {
      const r = decode(topic, payload);
      if (r.ok) seen.push(r.message);
    });
    await board.subscribeAsync(
      [topicOf('presence', ORG).replace('4711', '+'), `hanvisa/v1/${ORG}/calendar/+`],
      {
        qos: 1,
      },
    );

    const bridge = bridgeAs(`calendar-${ORG}`);
    try {
      await bridge.ready;
      await eventually(() =>
        expect(
          seen.find(
            (m) =>
              m.kind === 'presence' &&
              m.ext === '4712' &&
              (m.body as Presence | null)?.by.kind === 'calendar',
          ),
        ).toMatchObject({ body: { reason: 'meeting' } }),
      );
      await eventually(() =>
        expect(seen.some((m) => m.kind === 'calendar-status' && m.ext === '4712')).toBe(true),
      );
      expect(bridge.withheld()).toEqual({ subscriptions: 0, retained: 0, publishes: 0 });
    } finally {
      await bridge.stop();
    }

    // othertown's calendar account pointed at acltown: Mosquitto acknowledges and drops its referral
    const misplaced = bridgeAs(`calendar-${OTHER}`);
    try {
      await eventually(() => expect(misplaced.withheld()).toMatchObject({ retained: 1 }));
      await vi.waitFor(() => expect(misplaced.withheld().publishes).toBeGreaterThanOrEqual(1), {
        timeout: 30_000,
      });
    } finally {
      await misplaced.stop();
    }
  }, 60_000);

  it('each account writes exactly what the rule table grants it, in its own organisation and no other', async () => {
    const observer = await connect(OBSERVER);
    const heard = new Set<string>();
    const marker = 'hanvisa/test/marker';
    let markers = 0;
    observer.on('message', (topic, payload, packet) => {
      if (topic === marker) markers++;
      // what the store held before (the other tests' retained values) is not this test's
      else if (!packet.retain) heard.add(`${String(payload)} ${topic}`);
    });
    await observer.subscribeAsync(['hanvisa/v1/#', marker], { qos: 1 });
    const expected = new Set<string>();
    for (const [user, grants] of accounts) {
      for (const org of [ORG, OTHER])
        for (const kind of KINDS) {
          const topic = topicOf(kind, org);
          if (allows(grants, 'write', topic)) expected.add(`${user} ${topic}`);
          // one connection a publish: Mosquitto closes the connection after one it denies
          const client = await connect(user);
          await client.publishAsync(topic, user, { qos: 1 });
          await client.endAsync(true);
        }
    }
    // a publish is routed before its PUBACK: everything that was let through is in before the marker
    await observer.publishAsync(marker, 'end', { qos: 1 });
    await eventually(() => expect(markers).toBe(1));
    expect([...heard].sort()).toEqual([...expected].sort());
    // and the services' writers are each in there: the recorder writes nothing at all
    expect([...heard].filter((h) => h.startsWith('recorder '))).toEqual([]);
  }, 120_000);

  it('each account reads exactly what the rule table grants it', async () => {
    const seeded = [ORG, OTHER].flatMap((org) => KINDS.map((kind) => topicOf(kind, org)));
    const observer = await connect(OBSERVER);
    for (const topic of seeded) await observer.publishAsync(topic, 'seed', { qos: 1, retain: true });
    for (const [user, grants] of accounts) {
      const readable = seeded.filter((t) => allows(grants, 'read', t));
      const ending = readable[0];
      expect(ending, `${user} reads something`).toBeDefined();
      const client = await connect(user);
      const got = new Set<string>();
      const done = new Promise<void>((resolve) =>
        client.on('message', (topic, payload, packet) => {
          if (String(payload) === `end ${user}`) resolve();
          else if (packet.retain && seeded.includes(topic)) got.add(topic);
        }),
      );
      await client.subscribeAsync('hanvisa/v1/#', { qos: 1 });
      // Mosquitto sends a subscription's retained set before what is published after its SUBACK
      await observer.publishAsync(ending as string, `end ${user}`, { qos: 1 });
      await done;
      expect({ user, reads: [...got].sort() }).toEqual({ user, reads: [...readable].sort() });
      await client.endAsync(true);
    }
  }, 120_000);
});
