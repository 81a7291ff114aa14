// An agent update pushed over MQTT to a desk installed by the shipped deploy/pi/install.sh into a
// temporary root (as pi-install.test.ts does), run as systemd would run the unit it installed: its
// ExecStartPre (the boot check), then its ExecStart, started again whenever it ends (Restart=always),
// with the unit's paths moved into the root. Real Mosquitto; IT pushes with `hanvisa devices update`
// and the desk fetches the signed package from an HTTP server, as from one IT runs.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DeviceState, topicFor } from '../../protocol/index.js';
import { devicesCommand } from '../../switchboard/provisioning/devices-command.js';
import { buildProduct, ROOT as REPO } from '../support/build-product.js';
import { runCommand } from '../support/command.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const run = promisify(execFile);
const ORG = 'otakommun';
const DEVICE = 'desk-ota';
const INSTALLED = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string })
  .version;
const GOOD = `${INSTALLED}-good.1`;
const BROKEN = `${INSTALLED}-broken.1`;

describe('agent update over MQTT on the shipped Pi install', () => {
  let dir: string;
  let root: string;
  let mosquitto: Mosquitto;
  let http: Server;
  let base: string;
  let unit: Unit;
  const states: DeviceState[] = [];
  let observer: mqtt.MqttClient;
  const keyFile = () => join(dir, 'it-release.key');

  /** A release as IT packs it (docs/provisioning.md): dist, package.json and lock, as a .tar.gz. */
  async function pack(version: string, broken = false): Promise<string> {
    const src = join(dir, `src-${version}`);
    cpSync(join(REPO, 'dist'), join(src, 'dist'), { recursive: true });
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    writeFileSync(join(src, 'package.json'), JSON.stringify({ ...pkg, version }, null, 2));
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8'));
    lock.version = version;
    lock.packages[''].version = version;
    writeFileSync(join(src, 'package-lock.json'), JSON.stringify(lock, null, 2));
    // the new agent exits at once, as one with a broken start would
    if (broken) writeFileSync(join(src, 'dist/bin/hanvisa.js'), 'process.exit(1);\n');
    const file = join(dir, 'www', `hanvisa-agent-${version}.tar.gz`);
    await run('tar', ['-czf', file, '-C', src, 'dist', 'package.json', 'package-lock.json']);
    return file;
  }

  const push = (file: string, timeout = '60') =>
    runCommand(devicesCommand, [
      'update',
      '--org',
      ORG,
      '--broker',
      mosquitto.url,
      '--device',
      DEVICE,
      '--package',
      file,
      '--url',
      `${base}/${basename(file)}`,
      '--signing-key',
      keyFile(),
      '--timeout',
      timeout,
    ]);
  const current = () => readlinkSync(join(root, 'var/lib/hanvisa/current'));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hanvisa-ota-'));
    root = join(dir, 'root');
    [mosquitto] = await Promise.all([startMosquitto(), buildProduct()]);

    // the package as unpacked on the Pi: built dist, package.json and lock, deploy files, node_modules
    const pkg = join(dir, 'pkg');
    for (const part of ['dist', 'deploy', 'package.json', 'package-lock.json'])
      cpSync(join(REPO, part), join(pkg, part), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(pkg, 'node_modules'));

    // IT's key pair: the private key stays with IT, the desk gets the public key in its config
    const keys = generateKeyPairSync('ed25519');
    writeFileSync(keyFile(), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(join(dir, 'update.pub'), keys.publicKey.export({ type: 'spki', format: 'pem' }));
    const state = join(root, 'var/lib/hanvisa');
    writeFileSync(
      join(dir, 'agent.json'),
      JSON.stringify({
        org: ORG,
        ext: '4790',
        deviceId: DEVICE,
        broker: { url: mosquitto.url },
        driver: { type: 'virtual' },
        journalPath: join(state, 'journal.json'),
        update: { publicKeyFile: join(root, 'etc/hanvisa/update.pub'), stateDir: state, deadlineSeconds: 60 },
      }),
    );
    mkdirSync(join(root, 'etc/hanvisa'), { recursive: true });
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\ndialout:x:20:\nplugdev:x:46:\n');
    writeFileSync(join(root, 'etc/shadow'), 'root:*:19000:0:99999:7:::\n', { mode: 0o640 });
    writeFileSync(join(root, 'etc/gshadow'), 'root:*::\ndialout:*::\nplugdev:*::\n', { mode: 0o640 });
    cpSync(join(dir, 'update.pub'), join(root, 'etc/hanvisa/update.pub'));
    await run('bash', [join(pkg, 'deploy/pi/install.sh'), '--config', join(dir, 'agent.json')], {
      env: { ...process.env, DESTDIR: root },
    });

    mkdirSync(join(dir, 'www'));
    http = createServer((req, res) => {
      try {
        res.end(readFileSync(join(dir, 'www', basename(req.url ?? ''))));
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

    observer = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    observer.on('message', (_t, p) => {
      if (p.length) states.push(JSON.parse(p.toString()));
    });
    await observer.subscribeAsync(topicFor({ kind: 'device-state', org: ORG, deviceId: DEVICE }), { qos: 1 });
    unit = startUnit(root);
    await vi.waitFor(() => expect(states.at(-1)).toMatchObject({ online: true, agent: INSTALLED }), {
      timeout: 20_000,
    });
  }, 240_000);

  afterAll(async () => {
    await unit?.stop();
    await observer?.endAsync();
    http?.closeAllConnections();
    http?.close();
    await mosquitto?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a good update: staged beside the installed release, switched, and the desk reports the new version', async () => {
    const result = await push(await pack(GOOD));
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`${DEVICE}: update ok: updated: running ${GOOD} (was ${INSTALLED})`);
    expect(result.code).toBe(0);
    expect(current()).toBe(join(root, 'var/lib/hanvisa/releases', GOOD));
    await vi.waitFor(() => expect(states.at(-1)).toMatchObject({ online: true, agent: GOOD }));
    expect(unit.starts()).toBe(2);
  }, 120_000);

  it('a broken update (the new agent exits at once) is switched back, and the old agent reports the rollback', async () => {
    const result = await push(await pack(BROKEN, true));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${DEVICE}: update FAILED: rolled back to ${GOOD}: ${BROKEN} stopped before it came online`,
    );
    expect(current()).toBe(join(root, 'var/lib/hanvisa/releases', GOOD));
    await vi.waitFor(() => expect(states.at(-1)).toMatchObject({ online: true, agent: GOOD }));
    // the good release, the broken one's single trial, the good one again
    expect(unit.starts()).toBe(4);
  }, 120_000);

  it('a package that is not what was signed is refused without a restart; the agent runs on', async () => {
    const served = await pack(`${INSTALLED}-tampered.1`);
    // IT signs its own copy; the server hands out other bytes of the same size
    const signed = join(dir, basename(served));
    cpSync(served, signed);
    const bytes = readFileSync(served);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    writeFileSync(served, bytes);
    const result = await push(signed);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/update FAILED: update refused: sha256 [0-9a-f]{64}, announced/);
    expect(result.stderr).toContain(`still running ${GOOD}`);
    expect(unit.starts()).toBe(4);
    expect(current()).toBe(join(root, 'var/lib/hanvisa/releases', GOOD));
  }, 60_000);
});

interface Unit {
  /** how many times ExecStart was started */
  starts(): number;
  stop(): Promise<void>;
}

/**
 * The installed hanvisa-agent.service as systemd runs it: ExecStartPre, then ExecStart, and both again
 * whenever the agent ends (Restart=always), with /opt/hanvisa, /var/lib/hanvisa and /etc/hanvisa in `root`.
 */
function startUnit(root: string): Unit {
  const text = readFileSync(join(root, 'etc/systemd/system/hanvisa-agent.service'), 'utf8');
  const line = (key: string) => {
    const value = new RegExp(`^${key}=(.*)$`, 'm').exec(text)?.[1];
    if (!value) throw new Error(`the unit has no ${key}`);
    return value
      .replace(/ \/(opt|var\/lib|etc)\/hanvisa/g, (m) => ` ${root}${m.trim()}`)
      .trim()
      .split(/\s+/);
  };
  const [pre, ...preArgs] = line('ExecStartPre');
  const [node, ...args] = line('ExecStart');
  let stopped = false;
  let child: ChildProcess | undefined;
  let count = 0;
  const loop = async () => {
    while (!stopped) {
      await run(pre as string, preArgs);
      count++;
      child = spawn(node === '/usr/bin/node' ? process.execPath : (node as string), args, {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, HANVISA_LOG: 'warn' },
      });
      await new Promise((r) => child?.once('exit', r));
      // RestartSec=2 in the unit; shortened here, it changes nothing the test looks at
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const running = loop();
  return {
    starts: () => count,
    async stop() {
      stopped = true;
      child?.kill('SIGTERM');
      await running;
    },
  };
}
