// `hanvisa devices` under the ACL it renders itself: IT logs in as `provisioning` (password on stdin),
// lists and reassigns a desk that logs in as its device id; the desk's presses for its new extension
// reach the broker only once IT re-renders the ACL from the updated devices file and Mosquitto reloads it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { parseConfig } from '../../agent/runtime/config.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';
import { decode, type Presence } from '../../protocol/index.js';
import { devicesCommand } from '../../switchboard/provisioning/devices-command.js';
import { runCommand } from '../support/command.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { retainedPresence } from '../support/retained.js';

const ORG = 'grastorp';
const PASSWORDS = { provisioning: 'it-secret', 'desk-p1': 'desk-secret', 'board-grastorp': 'board-secret' };

describe('hanvisa devices under its own ACL', () => {
  let dir: string;
  let broker: Mosquitto;
  let board: MqttClient;
  let agent: Agent | undefined;
  /** every presence the board received, in order */
  const seen: { ext: string; body: Presence }[] = [];

  const renderAcl = async (csv: string) => {
    const devices = join(dir, 'devices.csv');
    await writeFile(devices, csv);
    const result = await runCommand(devicesCommand, ['acl', '--org', ORG, '--devices', devices]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    await writeFile(join(dir, 'acl'), result.stdout);
  };
  const asProvisioning = (...args: string[]) =>
    runCommand(
      devicesCommand,
      [
        args[0] as string,
        '--org',
        ORG,
        '--broker',
        broker.url,
        '--settle-ms',
        '100',
        '--username',
        'provisioning',
        '--password-stdin',
        ...args.slice(1),
      ],
      `${PASSWORDS.provisioning}\n`,
    );

  /** The broker's retained presence of an extension, read by a fresh board connection. */
  const retained = (ext: string): Promise<Presence | undefined> =>
    retainedPresence(
      broker.url,
      { org: ORG, ext },
      { username: 'board-grastorp', password: PASSWORDS['board-grastorp'] },
      `hanvisa/v1/${ORG}/presence/9`,
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-provisioning-acl-'));
    await renderAcl('device,ext\ndesk-p1,4711\n');
    broker = await startMosquitto({
      // information: the log says when a SIGHUP reload is done
      users: PASSWORDS,
      config: [`acl_file ${join(dir, 'acl')}`, 'log_type information'],
    });
    board = await mqtt.connectAsync(broker.url, {
      protocolVersion: 4,
      username: 'board-grastorp',
      password: PASSWORDS['board-grastorp'],
    });
    board.on('message', (topic, payload) => {
      const result = decode(topic, payload);
      if (result.ok && result.message.kind === 'presence' && result.message.body)
        seen.push({ ext: result.message.ext, body: result.message.body });
    });
    await board.subscribeAsync(`hanvisa/v1/${ORG}/presence/+`, { qos: 1 });
  });
  afterAll(async () => {
    await agent?.stop();
    await board?.endAsync();
    await broker?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reassigning a desk takes effect at the broker once the ACL is re-rendered and reloaded', async () => {
    const config = parseConfig({
      org: ORG,
      ext: '4711',
      deviceId: 'desk-p1',
      broker: { url: broker.url, username: 'desk-p1', password: PASSWORDS['desk-p1'] },
      journalPath: join(dir, 'journal.json'),
    });
    const panel = new VirtualPanel({ hardwareId: 'virt-p1' });
    agent = await startAgent(config, { panel, settleMs: 100 });
    const desk = agent;
    await vi.waitFor(() => expect(desk.synced).toBe(true), { timeout: 5000 });

    const list = await asProvisioning('list', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ device: 'desk-p1', online: true, ext: '4711' }]);

    const assigned = await asProvisioning('assign', '--device', 'desk-p1', '--ext', '4712', '--timeout', '5');
    expect(assigned).toMatchObject({ code: 0, stdout: 'desk-p1: config 1 (ext 4712) accepted\n' });

    // The ACL still binds desk-p1 to 4711: the broker acknowledges and drops its presence for 4712
    // (MQTT 3.1.1 says nothing), so the broker retains none.
    panel.tap(1);
    await vi.waitFor(() => expect(desk.pending).toBe(false), { timeout: 5000 });
    expect(desk.presence?.reason).toBe('lunch');
    expect(await retained('4712')).toBeUndefined();
    await renderAcl('device,ext\ndesk-p1,4712\n');
    process.kill(broker.pid() as number, 'SIGHUP');
    await vi.waitFor(() => expect(broker.log()).toMatch(/[Rr]eloading/), { timeout: 5000 });
    panel.tap(2);
    await vi.waitFor(() => expect(seen.filter((p) => p.ext === '4712').at(-1)?.body.reason).toBe('meeting'), {
      timeout: 5000,
    });
    expect(await retained('4712')).toMatchObject({ reason: 'meeting', by: { id: 'desk-p1' } });
  });
});
