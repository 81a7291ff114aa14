// The desk's refusals of an agent update, in-process through Mosquitto: each answered on cmd/result
// with the reason, counted (inventory's updateFailures), and the agent running on as it was (its
// onUpdated hook never called). The successful path and the rollback run on the shipped Pi install in
// agent-update.test.ts.
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AGENT_VERSION, type Agent, startAgent } from '../../agent/runtime/agent.js';
import { parseConfig } from '../../agent/runtime/config.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';
import {
  type DeviceCommandResult,
  type DeviceUpdate,
  packageStatement,
  topicFor,
} from '../../protocol/index.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const ORG = 'otakommun';
const DEVICE = 'desk-refuse';
const t = {
  update: topicFor({ kind: 'device-update', org: ORG, deviceId: DEVICE }),
  cmd: topicFor({ kind: 'device-cmd', org: ORG, deviceId: DEVICE }),
  result: topicFor({ kind: 'device-cmd-result', org: ORG, deviceId: DEVICE }),
};
const BYTES = Buffer.from('a package');

describe('agent update refusals', () => {
  let mosquitto: Mosquitto;
  let dir: string;
  let it_: MqttClient;
  let http: Server;
  let base: string;
  const requests: string[] = [];
  const results: DeviceCommandResult[] = [];
  const keys = generateKeyPairSync('ed25519');
  const stranger = generateKeyPairSync('ed25519');
  let agent: Agent | undefined;
  const onUpdated = vi.fn();

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-ota-refusals-'));
    await writeFile(join(dir, 'update.pub'), keys.publicKey.export({ type: 'spki', format: 'pem' }));
    http = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/package.tar.gz') res.end(BYTES);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    it_ = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    it_.on('message', (_topic, payload) => results.push(JSON.parse(payload.toString())));
    await it_.subscribeAsync(t.result, { qos: 1 });
  });
  afterEach(async () => {
    await agent?.stop();
    agent = undefined;
  });
  afterAll(async () => {
    await it_.endAsync();
    http.close();
    await mosquitto.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function start(update: boolean) {
    const config = parseConfig(
      {
        org: ORG,
        ext: '510',
        deviceId: DEVICE,
        broker: { url: mosquitto.url },
        journalPath: 'journal.json',
        // a state directory without a `current` link: nothing installed to switch from
        ...(update ? { update: { publicKeyFile: 'update.pub', stateDir: 'state' } } : {}),
      },
      'test',
      dir,
    );
    agent = await startAgent(config, {
      panel: new VirtualPanel({ hardwareId: 'v' }),
      settleMs: 50,
      onUpdated,
    });
    await vi.waitFor(() => expect(agent?.synced).toBe(true));
  }

  function order(
    id: string,
    version: string,
    path: string,
    signer: KeyObject = keys.privateKey,
  ): DeviceUpdate {
    const sha256 = createHash('sha256').update(BYTES).digest('hex');
    const statement = Buffer.from(packageStatement(version, BYTES.length, sha256));
    return {
      v: 1,
      id,
      version,
      url: `${base}${path}`,
      size: BYTES.length,
      sha256,
      signature: sign(null, statement, signer).toString('base64'),
    };
  }
  async function answer(body: DeviceUpdate) {
    await it_.publishAsync(t.update, JSON.stringify(body), { qos: 1 });
    return vi.waitFor(() => {
      const found = results.find((r) => r.id === body.id);
      expect(found).toBeDefined();
      return found as DeviceCommandResult;
    });
  }

  it('a desk without "update" in its config refuses every update', async () => {
    await start(false);
    const result = await answer(order('u-none', '9.9.9', '/package.tar.gz'));
    expect(result).toMatchObject({ ok: false });
    expect(result.detail).toContain('this desk takes no updates');
    expect(requests).toEqual([]);
  });

  it('refuses the running version, a signature not by IT (nothing fetched), a failed download and a desk with nothing installed; counts each', async () => {
    await start(true);
    expect((await answer(order('u-same', AGENT_VERSION, '/package.tar.gz'))).detail).toBe(
      `update refused: ${AGENT_VERSION} is already running; still running ${AGENT_VERSION}`,
    );
    expect((await answer(order('u-forged', '9.9.9', '/package.tar.gz', stranger.privateKey))).detail).toMatch(
      /^update refused: signature is not IT's/,
    );
    expect(requests).toEqual([]);
    expect((await answer(order('u-404', '9.9.9', '/gone.tar.gz'))).detail).toBe(
      `update refused: download: HTTP 404 from ${base}/gone.tar.gz; still running ${AGENT_VERSION}`,
    );
    expect((await answer(order('u-nothing', '9.9.9', '/package.tar.gz'))).detail).toContain(
      `no release link ${join(dir, 'state/current')}: install this release with deploy/pi/install.sh`,
    );
    expect(requests).toEqual(['/gone.tar.gz', '/package.tar.gz']);

    await it_.publishAsync(t.cmd, JSON.stringify({ v: 1, id: 'inv', cmd: 'inventory' }), { qos: 1 });
    const inventory = await vi.waitFor(() => {
      const found = results.find((r) => r.id === 'inv');
      expect(found).toBeDefined();
      return JSON.parse(found?.detail ?? '{}');
    });
    expect(inventory.updateFailures).toBe(4);
    expect(onUpdated).not.toHaveBeenCalled();
    expect(agent?.link).toBe('online');
  });

  it('a bad update.publicKeyFile stops the start, naming the file', async () => {
    await writeFile(join(dir, 'private.pem'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() =>
      parseConfig(
        {
          org: ORG,
          ext: '510',
          deviceId: DEVICE,
          broker: { url: mosquitto.url },
          journalPath: 'journal.json',
          update: { publicKeyFile: 'private.pem' },
        },
        'test',
        dir,
      ),
    ).toThrow(/update.publicKeyFile .*private.pem[\s\S]*a private key: give the desk the public key only/);
  });
});
