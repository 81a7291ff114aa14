// `hanvisa devices` against a real Mosquitto and real desk agents: IT lists the announced desks, assigns
// one to another extension (the desk acks and serves it), sees a refused layout with the desk's reason,
// pushes to an offline desk that applies it when it starts, and runs identify/inventory/restart.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { parseConfig } from '../../agent/runtime/config.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';
import { createLogger } from '../../log/logger.js';
import { decode, type Presence, RejectionCounter, topicFor } from '../../protocol/index.js';
import { readFleet } from '../../switchboard/provisioning/device-exchange.js';
import { devicesCommand } from '../../switchboard/provisioning/devices-command.js';
import { type DeviceSummary, formatFleet } from '../../switchboard/provisioning/fleet.js';
import { runCommand } from '../support/command.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const ORG = 'provkommun';

describe('hanvisa devices with real desk agents', () => {
  let mosquitto: Mosquitto;
  let dir: string;
  let watcher: MqttClient;
  const presences = new Map<string, Presence>();
  const agents: Agent[] = [];

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-provisioning-'));
    watcher = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    watcher.on('message', (topic, payload) => {
      const result = decode(topic, payload);
      if (result.ok && result.message.kind === 'presence' && result.message.body)
        presences.set(result.message.ext, result.message.body);
    });
    await watcher.subscribeAsync(`hanvisa/v1/${ORG}/presence/+`, { qos: 1 });
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop();
  });
  afterAll(async () => {
    await watcher?.endAsync();
    await mosquitto?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function startDesk(deviceId: string, ext: string) {
    const config = parseConfig({
      org: ORG,
      ext,
      deviceId,
      broker: { url: mosquitto.url },
      journalPath: join(dir, `${deviceId}.journal.json`),
    });
    const panel = new VirtualPanel({ hardwareId: `virt-${deviceId}` });
    const agent = await startAgent(config, { panel, settleMs: 100 });
    agents.push(agent);
    await vi.waitFor(() => expect(agent.synced).toBe(true), { timeout: 5000 });
    return { agent, panel };
  }
  const devices = (...args: string[]) =>
    runCommand(devicesCommand, [
      args[0] as string,
      '--org',
      ORG,
      '--broker',
      mosquitto.url,
      '--settle-ms',
      '100',
      ...args.slice(1),
    ]);
  const listed = async (): Promise<DeviceSummary[]> => JSON.parse((await devices('list', '--json')).stdout);
  /** The config the broker retains for a device, as a fresh read of the device topics finds it. */
  const retainedConfig = async (deviceId: string) =>
    (await readFleet(watcher, ORG, 100, new RejectionCounter(createLogger('test')))).get(deviceId)?.config;

  it('lists an announced desk, assigns it another extension, and shows a refused layout with its reason', async () => {
    const { agent } = await startDesk('desk-a', '500');
    const list = await devices('list');
    expect(list).toMatchObject({ code: 0, stderr: '' });
    const [a] = await listed();
    expect(a).toMatchObject({
      device: 'desk-a',
      online: true,
      ext: '500',
      hardwareId: 'virt-desk-a',
      configPushed: null,
      configApplied: 0,
    });
    expect(list.stdout).toBe(formatFleet([a as DeviceSummary]));

    const assigned = await devices(
      'assign',
      '--device',
      'desk-a',
      '--ext',
      '501',
      '--forward-to',
      '502',
      '--timeout',
      '5',
    );
    expect(assigned).toMatchObject({ code: 0, stderr: '', stdout: 'desk-a: config 1 (ext 501) accepted\n' });
    expect(agent.configVersion).toBe(1);
    // The desk now serves 501: it publishes that person's presence.
    await vi.waitFor(() => expect(presences.get('501')?.by).toEqual({ kind: 'desk', id: 'desk-a' }), {
      timeout: 5000,
    });
    expect(await listed()).toMatchObject([
      { ext: '501', configPushed: 1, configApplied: 1, ack: { ok: true } },
    ]);

    const wide = join(dir, 'wide.json');
    await writeFile(wide, JSON.stringify({ keys: [{ key: 40, action: { type: 'open' } }], leds: [] }));
    const refused = await devices(
      'assign',
      '--device',
      'desk-a',
      '--ext',
      '501',
      '--layout',
      wide,
      '--timeout',
      '5',
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'desk-a: config 2 (ext 501; layout replaced; forward-to kept: 502) REFUSED: layout.keys: key 40 is not on this panel (12 keys); its last good config stays in force\n',
    );
    expect(agent.configVersion).toBe(1);
    expect((await devices('list')).stdout).toContain(
      'config 2 REFUSED: layout.keys: key 40 is not on this panel (12 keys); still runs config 1',
    );

    // The next push goes above the refused version and builds on it: the layout goes back to the default.
    const again = await devices('assign', '--device', 'desk-a', '--layout', 'default', '--timeout', '5');
    expect(again).toMatchObject({
      code: 0,
      stdout:
        'desk-a: config 3 (ext 501; layout → default; forward-to kept: 502; based on config 2, which the device refused) accepted\n',
    });
  });

  it('reassigning a desk to another extension keeps its queues and forward-to', async () => {
    const { agent } = await startDesk('desk-q', '400');
    const first = await devices(
      'assign',
      '--device',
      'desk-q',
      '--ext',
      '401',
      '--queue',
      'vaxel',
      '--forward-to',
      '499',
      '--timeout',
      '5',
    );
    expect(first).toMatchObject({ code: 0, stdout: 'desk-q: config 1 (ext 401) accepted\n' });

    const moved = await devices('assign', '--device', 'desk-q', '--ext', '402', '--timeout', '5', '--json');
    expect(moved).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(moved.stdout)).toEqual([
      {
        device: 'desk-q',
        version: 2,
        ext: '402',
        change: 'ext 401 → 402; forward-to kept: 499; queues kept: vaxel',
        config: expect.objectContaining({ version: 2, ext: '402', forwardTo: '499', queues: ['vaxel'] }),
        outcome: 'accepted',
        reason: null,
      },
    ]);
    expect(agent.configVersion).toBe(2);
    await vi.waitFor(() => expect(presences.get('402')?.by.id).toBe('desk-q'), { timeout: 5000 });
    expect((await retainedConfig('desk-q'))?.queues).toEqual(['vaxel']);

    const cleared = await devices(
      'assign',
      '--device',
      'desk-q',
      '--no-queues',
      '--no-forward-to',
      '--timeout',
      '5',
    );
    expect(cleared.stdout).toBe(
      'desk-q: config 3 (ext 402; forward-to 499 → none; queues vaxel → none) accepted\n',
    );
    expect(await retainedConfig('desk-q')).toMatchObject({ version: 3, ext: '402', queues: [] });
    expect(await retainedConfig('desk-q')).not.toHaveProperty('forwardTo');
  });

  it('an offline desk gives no answer; the retained config applies when it starts', async () => {
    const pushed = await devices('assign', '--device', 'desk-b', '--ext', '601', '--timeout', '0.3');
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toBe(
      'desk-b: config 1 (ext 601): no answer in 0.3 s (the device has never connected; the config stays retained and applies when the device connects)\n',
    );
    const { agent } = await startDesk('desk-b', '600');
    await vi.waitFor(() => expect(agent.configVersion).toBe(1), { timeout: 5000 });
    await vi.waitFor(() => expect(presences.get('601')?.by.id).toBe('desk-b'), { timeout: 5000 });
    await vi.waitFor(async () =>
      expect((await listed()).find((d) => d.device === 'desk-b')).toMatchObject({
        online: true,
        ext: '601',
        ack: { version: 1, ok: true },
      }),
    );
    await agent.stop();
    const offline = await devices('assign', '--device', 'desk-b', '--ext', '602', '--timeout', '0.3');
    expect(offline.stderr).toContain('(the device is offline; the config stays retained');
  });

  it('identify, inventory and restart answer with their results', async () => {
    const { panel } = await startDesk('desk-c', '700');
    const identify = await devices('identify', '--device', 'desk-c', '--seconds', '1', '--timeout', '5');
    expect(identify).toMatchObject({ code: 0, stdout: 'desk-c: identify ok: identifying for 1 s\n' });
    await panel.waitForFrame((f) => f.length > 0 && f.every((l) => l.pattern === 'fast'));

    const inventory = await devices('inventory', '--device', 'desk-c', '--timeout', '5');
    expect(inventory.code).toBe(0);
    const detail = JSON.parse(inventory.stdout.replace(/^desk-c: inventory ok: /, ''));
    expect(detail).toMatchObject({ ext: '700', panel: { hardwareId: 'virt-desk-c', keys: 12 } });

    const json = await devices('inventory', '--device', 'desk-c', '--timeout', '5', '--json');
    expect(json).toMatchObject({ code: 0, stderr: '' });
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ device: 'desk-c', cmd: 'inventory', answered: true, ok: true });
    expect(JSON.parse(result.detail)).toMatchObject({ ext: '700' });

    const restart = await devices('restart', '--device', 'desk-c', '--timeout', '5');
    expect(restart).toMatchObject({
      code: 1,
      stderr: 'desk-c: restart FAILED: restart is not available in this runtime\n',
    });

    // a device never announced is refused at once, not after the timeout (10 s by default)
    const asked = Date.now();
    const nobody = await devices('identify', '--device', 'desk-zz');
    expect(nobody).toMatchObject({
      code: 1,
      stderr: `desk-zz: no such device in ${ORG} (it has never announced itself); nothing sent\n`,
    });
    expect(Date.now() - asked).toBeLessThan(9_000);
    const silent = await devices('identify', '--device', 'desk-zz', '--timeout', '0.3', '--json');
    expect(silent.code).toBe(1);
    expect(JSON.parse(silent.stdout)).toMatchObject({ answered: false, ok: false, detail: null });
  });

  it('imports a devices CSV: online desks ack, a bad row publishes nothing', async () => {
    const d = await startDesk('desk-d', '800');
    const e = await startDesk('desk-e', '810');
    await writeFile(
      join(dir, 'layout.json'),
      JSON.stringify({ keys: [{ key: 0, action: { type: 'open' } }], leds: [] }),
    );
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'device;ext;layout\ndesk-d;801;layout.json\ndesk-e;8x1;\n');
    const refused = await devices('import', bad, '--timeout', '5');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}:3: ext "8x1": 1-15 digits`);
    expect(refused.stdout).toContain('nothing published');
    expect(d.agent.configVersion).toBe(0);

    const good = join(dir, 'good.csv');
    await writeFile(good, '\uFEFFDevice,Anknytning,Layout\ndesk-d,801,layout.json\ndesk-e,811,\n');
    const imported = await devices('import', good, '--timeout', '5');
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('2 of 2 device(s) accepted their config\n');
    expect(d.agent.configVersion).toBe(1);
    expect(e.agent.configVersion).toBe(1);
    await vi.waitFor(() => expect(presences.get('811')?.by.id).toBe('desk-e'), { timeout: 5000 });
  });

  it('counts unreadable retained device messages and lists the rest', async () => {
    await startDesk('desk-f', '900');
    await watcher.publishAsync(
      topicFor({ kind: 'device-state', org: ORG, deviceId: 'desk-junk' }),
      '{"v":1,"online":"yes"}',
      {
        qos: 1,
        retain: true,
      },
    );
    const list = await devices('list');
    expect(list.code).toBe(0);
    expect(list.stderr).toBe('warning: 1 unreadable retained device message(s) on the broker ignored\n');
    expect(list.stdout).toContain('desk-f');
    expect(list.stdout).not.toContain('desk-junk');
  });
});
