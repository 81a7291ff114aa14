// Following the deploy docs on a real Mosquitto: `hanvisa devices acl` renders every account the docs
// create, and with that file the recorder records everything (not 2 events of 16), the calendar bridge's
// referrals arrive, and each account can write and read exactly what the rule table says, no more, on
// Mosquitto and on the embedded broker (`hanvisa broker --passwd --devices` with the same options).
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
import { brokerCommand } from '../../switchboard/broker/command.js';
import { startCalendarBridge } from '../../switchboard/calendar/bridge.js';
import { prefixRules } from '../../switchboard/calendar/prefixes.js';
import { startBridge } from '../../switchboard/phone/bridge.js';
import type { PhoneListener, PhoneSystem } from '../../switchboard/phone/port.js';
import { devicesCommand } from '../../switchboard/provisioning/devices-command.js';
import { publishMessage } from '../../switchboard/publish.js';
import { startRecorder } from '../../switchboard/recorder/recorder.js';
import { openStorage } from '../../switchboard/recorder/storage/open.js';
import { linesContext, runCommand } from '../support/command.js';
import { vcalendar, vevent } from '../support/ics.js';
import { type Mosquitto, startMosquitto, writePasswordFile } from '../support/mosquitto.js';

const ORG = 'acltown';
const OTHER = 'othertown';
const password = (user: string) => `secret-${user}`;
/** Has a password but no line in the ACL: what the recorder was before the ACL named it. */
const STRANGER = 'stranger';
const PARAMS = {
  ext: '4711',
  deviceId: 'desk-1',
  queueId: 'q1',
  departmentId: 'd1',
  messageId: 'm1',
  sessionId: 's'.repeat(43),
};
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
  let embedded: Promise<void> | undefined;
  let embeddedUrl: string;
  const stopEmbedded = new AbortController();
  // the accounts only made where named: the org publisher's, the importer's and the notifier's (docs/notify.md)
  const accountOptions = [
    '--org-user',
    `${ORG}=org-${ORG}`,
    '--import-user',
    `${ORG}=import-${ORG}`,
    '--notify-user',
    `${ORG}=notify-${ORG}`,
    '--notify-user',
    `${OTHER}=notify-${OTHER}`,
  ];
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
    const rendered = await runCommand(devicesCommand, ['acl', '--devices', devices, ...accountOptions]);
    expect(rendered).toMatchObject({ code: 0, stderr: '' });
    accounts = accountsOf(rendered.stdout);
    // the accounts docs/deploy.md, recorder.md, calendar.md, phone.md and org-settings.md create
    expect([...accounts.keys()].sort()).toEqual(
      [
        ...[ORG, OTHER].flatMap((org) => [`board-${org}`, `switchboard-${org}`, `calendar-${org}`]),
        'recorder',
        `org-${ORG}`,
        `import-${ORG}`,
        `notify-${ORG}`,
        `notify-${OTHER}`,
        'provisioning',
        'desk-1',
        'desk-2',
        'desk-3',
      ].sort(),
    );
    await writeFile(join(dir, 'acl'), rendered.stdout);
    const users = [...accounts.keys(), STRANGER];
    broker = await startMosquitto({
      users: Object.fromEntries(users.map((u) => [u, password(u)])),
      config: [`acl_file ${join(dir, 'acl')}`],
    });
    // the embedded broker from the same files and options, as `hanvisa broker` runs it
    await writePasswordFile(join(dir, 'passwd'), Object.fromEntries(users.map((u) => [u, password(u)])));
    const lines: string[] = [];
    embedded = brokerCommand(
      ['--port', '0', '--passwd', join(dir, 'passwd'), '--devices', devices, ...accountOptions],
      linesContext({ signal: stopEmbedded.signal, out: (l) => lines.push(l) }),
    );
    await eventually(() => expect(lines[0]).toMatch(/^broker mqtt:/));
    embeddedUrl = (lines[0] as string).slice('broker '.length);
    // the directory and the settings, as the import and hanvisa org put them there
    await publishAs(`import-${ORG}`, { ...EXAMPLES['directory-person'], org: ORG, ext: '4711' });
    await publishAs(`org-${ORG}`, { ...EXAMPLES['directory-org'], org: ORG });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    stopEmbedded.abort();
    await embedded;
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

  it("the phone bridge's queues and voicemail arrive; on another organisation's account its writes are noticed as dropped", async () => {
    const bridgeAs = (user: string) => {
      const phone: PhoneSystem = {
        system: 'sip',
        async open(l: PhoneListener) {
          l.link(true);
          l.queue({ queueId: 'q1', waiting: 2, oldestSince: Date.now() - 5000 });
          l.voicemail('4711', 1);
        },
        referralChanged: () => {},
        async close() {},
      };
      return startBridge({ brokerUrl: broker.url, login: login(user), org: ORG, phone });
    };
    const board = await connect(`board-${ORG}`);
    const seen = new Set<string>();
    board.on('message', (topic, _payload, packet) => {
      if (!packet.retain) seen.add(topic);
    });
    await board.subscribeAsync(`hanvisa/v1/${ORG}/#`, { qos: 1 });

    const bridge = bridgeAs(`switchboard-${ORG}`);
    try {
      await bridge.ready;
      // (and the recorder test's queue, which the bridge adopts as its own and says again)
      await eventually(() =>
        expect([...seen]).toEqual(
          expect.arrayContaining([
            topicOf('queue', ORG),
            topicOf('voicemail', ORG),
            topicOf('phone-link', ORG),
          ]),
        ),
      );
      expect(bridge.stats().withheld).toEqual({ subscriptions: 0, retained: 0, publishes: 0 });
    } finally {
      await bridge.stop();
    }

    // othertown's phone bridge account pointed at acltown: Mosquitto acknowledges and drops its values
    const misplaced = bridgeAs(`switchboard-${OTHER}`);
    try {
      // it publishes on every connect, and Mosquitto closes each connection after the denied publish
      // before the retained state settles: the publish not heard back is what says so
      await eventually(() => expect(misplaced.stats().withheld.publishes).toBeGreaterThanOrEqual(1));
    } finally {
      await misplaced.stop();
    }
  }, 60_000);

  describe.each([
    ['Mosquitto', () => broker.url],
    ['the embedded broker (hanvisa broker --passwd --devices)', () => embeddedUrl],
  ])('%s agrees with the rule table', (_name, url) => {
    /** A connection of `user` to the broker under test. */
    const on = async (user: string) => {
      const client = await mqtt.connectAsync(url(), {
        protocolVersion: 4,
        reconnectPeriod: 0,
        ...login(user),
        clientId: `${user}-${clients.length}`,
      });
      clients.push(client);
      return client;
    };
    /** Publishes on a connection of its own: both brokers may close it after a publish they refuse. */
    const publishOnce = async (user: string, topic: string, payload: string, retain = false) => {
      const client = await on(user);
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      await Promise.race([client.publishAsync(topic, payload, { qos: 1, retain }).catch(() => {}), closed]);
      await client.endAsync(true);
    };
    /** An account that may write `topic`, other than `not`. */
    const writerOf = (topic: string, not?: string) =>
      [...accounts].find(([user, grants]) => user !== not && allows(grants, 'write', topic))?.[0] as string;

    /**
     * What `observers` hear (each reads the organisation given) while `publishers` try every kind in
     * both organisations. The broker takes the username as client id, so an account cannot observe its
     * own attempts: a second connection under its name would drop the first.
     */
    const heardWhile = async (publishers: string[], observers: [string, string][]) => {
      const heard = new Set<string>();
      const ends: string[] = [];
      for (const [user] of observers) {
        const client = await on(user);
        client.on('message', (topic, payload, packet) => {
          if (String(payload) === 'end') ends.push(topic);
          // what the store held before (the other tests' retained values) is not this test's
          else if (!packet.retain) heard.add(`${String(payload)} ${topic}`);
        });
        await client.subscribeAsync('hanvisa/v1/#', { qos: 1 });
      }
      for (const user of publishers)
        for (const org of [ORG, OTHER])
          for (const kind of KINDS) await publishOnce(user, topicOf(kind, org), user);
      // a publish is routed before its PUBACK: everything let through is in before each observer's end
      for (const [, org] of observers) {
        const topic = topicOf('queue', org);
        await publishOnce(writerOf(topic), topic, 'end');
      }
      await eventually(() => expect(ends).toHaveLength(observers.length));
      return heard;
    };

    it('each account writes exactly what it is granted, in its own organisation and no other', async () => {
      const everyone = [...accounts.keys()];
      // Each write is seen by an observer: the recorder for everyone else, the organisation's board for
      // the recorder. The recorder reads only what it records (RECORDER_READS), so a write it may not
      // read (a board's logout, IT's device config) is checked by the tests of that kind instead.
      const observerOf = (user: string, org: string) => (user === 'recorder' ? `board-${org}` : 'recorder');
      const expected = everyone.flatMap((user) =>
        [ORG, OTHER].flatMap((org) =>
          KINDS.map((kind) => topicOf(kind, org))
            .filter((topic) => allows(accounts.get(user) ?? [], 'write', topic))
            .filter((topic) => allows(accounts.get(observerOf(user, org)) ?? [], 'read', topic))
            .map((topic) => `${user} ${topic}`),
        ),
      );
      expect(expected.filter((h) => h.startsWith('recorder '))).toEqual([]);
      // the recorder hears everyone else; the two boards hear the recorder try
      const heard = new Set([
        ...(await heardWhile(
          everyone.filter((u) => u !== 'recorder'),
          [['recorder', ORG]],
        )),
        ...(await heardWhile(
          ['recorder'],
          [
            [`board-${ORG}`, ORG],
            [`board-${OTHER}`, OTHER],
          ],
        )),
      ]);
      expect([...heard].sort()).toEqual(expected.sort());
    }, 120_000);

    it('each account reads exactly what it is granted', async () => {
      const seeded = [ORG, OTHER].flatMap((org) => KINDS.map((kind) => topicOf(kind, org)));
      // every topic has a writer in the table (protocol/acl.test.ts): each seeds its own
      for (const topic of seeded) await publishOnce(writerOf(topic), topic, 'seed', true);
      for (const [user, grants] of accounts) {
        const readable = seeded.filter((t) => allows(grants, 'read', t));
        const ending = readable.find((t) => writerOf(t, user)) as string;
        expect(ending, `${user} reads something another account writes`).toBeDefined();
        const client = await on(user);
        const got = new Set<string>();
        const done = new Promise<void>((resolve) =>
          client.on('message', (topic, payload, packet) => {
            if (String(payload) === `end ${user}`) resolve();
            else if (packet.retain && seeded.includes(topic)) got.add(topic);
          }),
        );
        await client.subscribeAsync('hanvisa/v1/#', { qos: 1 });
        // aedes streams a subscription's retained set after its SUBACK: wait for what it may read,
        // then an end published after it bounds what else would have come
        const reads = () => ({ user, reads: [...got].sort() });
        await eventually(() => expect(reads()).toEqual({ user, reads: [...readable].sort() }));
        await publishOnce(writerOf(ending, user), ending, `end ${user}`);
        await done;
        expect(reads()).toEqual({ user, reads: [...readable].sort() });
        await client.endAsync(true);
      }
    }, 120_000);
  });
});
