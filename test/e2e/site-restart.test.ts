// Issue 24: `npm start` again continues where the last run stopped: the people imported, the
// organisation's settings, the referrals and the desks' pushed configs are in the site's data
// directory (the broker's retained messages, the desks' journals), and the recorder keeps one store there.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type Site, startSite } from '../../demo/site.js';
import { decode, topicFor } from '../../protocol/index.js';
import { DEFAULT_LAYOUT, EIGHT_KEY_LAYOUT } from '../../protocol/layouts.js';
import { publishMessage } from '../../switchboard/publish.js';
import { openStorage } from '../../switchboard/recorder/storage/open.js';
import { DEMO_ORG } from '../../switchboard/simulator/scenario.js';
import { retainedAs } from '../support/retained.js';

let dir: string;
let site: Site | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-restart-'));
});
afterAll(async () => {
  await site?.close();
  await rm(dir, { recursive: true, force: true });
});

const start = () =>
  startSite({ brokerPort: 0, boardPort: 0, desksPort: 0, staffPort: 0, desks: 2, dataDir: dir });

it('a restarted demo keeps imported people, settings, referrals and pushed configs', async () => {
  site = await start();
  const agent = site.agents.get('2001');
  await vi.waitFor(() => expect(agent?.synced).toBe(true), { timeout: 5000 });
  site.panels.get('2001')?.tap(1); // Lunch
  await vi.waitFor(() => expect(agent?.pending).toBe(false));
  expect(agent?.presence?.reason).toBe('lunch');
  // what IT does meanwhile: a person imported, the settings changed, a layout pushed
  const it = await mqtt.connectAsync(site.brokerUrl, { protocolVersion: 4 });
  const person = { v: 1 as const, name: 'Nils Nyman', department: 'kontaktcenter' };
  await publishMessage(it, { kind: 'directory-person', org: 'demo', ext: '2099', body: person });
  await publishMessage(it, { kind: 'directory-org', org: 'demo', body: { ...DEMO_ORG, greeting: 'Hej!' } });
  await publishMessage(it, {
    kind: 'device-config',
    org: 'demo',
    deviceId: 'desk-2001',
    body: { v: 1, version: 2, ext: '2001', layout: EIGHT_KEY_LAYOUT, queues: [] },
  });
  await it.endAsync();
  await vi.waitFor(() => expect(agent?.configVersion).toBe(2));
  await site.close();

  site = await start();
  const again = site.agents.get('2001');
  expect(again?.presence?.reason).toBe('lunch');
  expect(again?.layout).toEqual(EIGHT_KEY_LAYOUT);
  expect(again?.layout).not.toEqual(DEFAULT_LAYOUT);
  const topics = {
    person: topicFor({ kind: 'directory-person', org: 'demo', ext: '2099' }),
    org: topicFor({ kind: 'directory-org', org: 'demo' }),
    presence: topicFor({ kind: 'presence', org: 'demo', ext: '2001' }),
  };
  const marker = 'hanvisa/v1/demo/probe-restart';
  const retained = await retainedAs(site.brokerUrl, {}, Object.values(topics), marker);
  const body = (topic: string) => {
    const payload = retained.get(topic)?.payload;
    const result = payload && decode(topic, payload);
    return result?.ok ? result.message.body : undefined;
  };
  expect(body(topics.person)).toMatchObject(person);
  expect(body(topics.org)).toMatchObject({ greeting: 'Hej!' });
  expect(body(topics.presence)).toMatchObject({ reason: 'lunch' });
  // the board, fresh, shows it from the broker
  await vi.waitFor(() => expect(site?.board.model.row('demo', '2099')).toBeDefined(), { timeout: 5000 });
  await site.close();
  site = undefined;

  // one store for the site, in its data directory: both runs recorded there, one after the other
  const storage = await openStorage(join(dir, 'record.db'));
  try {
    const sessions = await storage.sessions();
    expect(sessions).toHaveLength(2);
    const [first, second] = [...sessions].sort((a, b) => a.startedAt - b.startedAt);
    expect(first?.stoppedAt).not.toBeNull();
    expect(second?.startedAt).toBeGreaterThanOrEqual(first?.stoppedAt ?? Number.POSITIVE_INFINITY);
  } finally {
    await storage.close();
  }
});
