// The board's and the recorder's units (deploy/systemd) run as written: their ExecStart lines with the
// host's paths moved under a temp root, each LoadCredential copied where %d points, the units' UMask,
// and a real Mosquitto with the ACL `hanvisa devices acl` renders and a password for each login. The
// board finds the store the recorder writes: an operator's referral is in the trail, the statistics
// answer, and the store is the hanvisa user's alone.
import type { ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXAMPLES } from '../../protocol/contract.js';
import { encode, type Message } from '../../protocol/index.js';
import { hashPassword, type User } from '../../switchboard/auth/index.js';
import { devicesCommand } from '../../switchboard/provisioning/devices-command.js';
import { type BoardProcess, startBoardProcess } from '../support/board-process.js';
import { buildProduct, HANVISA } from '../support/build-product.js';
import { runCommand } from '../support/command.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { exited, spawnServer } from '../support/server-process.js';
import { execStart, settings } from '../support/systemd-units.js';

const ORG = 'grastorp';
const EXT = '4711';
const BROKER_PASSWORDS = { 'board-grastorp': 'board-secret', recorder: 'recorder-secret' };
const SECRET = 'the-boards-session-secret-of-32-chars-or-more';

let root: string;
let broker: Mosquitto;
let recorder: ChildProcess | undefined;
let board: BoardProcess | undefined;
const recorderLog = { output: '' };

/** A unit's ExecStart arguments on this host: paths under `root`, the test broker, any free port. */
async function asInstalled(file: string): Promise<string[]> {
  const credentials = join(root, 'run/credentials', file);
  await mkdir(credentials, { recursive: true });
  for (const line of settings(file, 'LoadCredential')) {
    const [name = '', path = ''] = line.split(':');
    await copyFile(join(root, path), join(credentials, name));
  }
  const args = execStart(file).args.map((word) =>
    word
      .replace('/run/credentials/unit', credentials)
      .replace(/^\/(etc|var)\//, (prefix) => `${root}${prefix}`)
      .replace('mqtt://127.0.0.1:1883', broker.url),
  );
  const port = args.indexOf('--port');
  if (port >= 0) args[port + 1] = '0';
  return args;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hanvisa-units-'));
  const devices = join(root, 'devices.csv');
  await writeFile(devices, `device,ext\ndesk-1,${EXT}\n`);
  const acl = await runCommand(devicesCommand, ['acl', '--org', ORG, '--devices', devices]);
  expect(acl).toMatchObject({ code: 0, stderr: '' });
  await writeFile(join(root, 'acl'), acl.stdout);
  [broker] = await Promise.all([
    startMosquitto({ users: BROKER_PASSWORDS, config: [`acl_file ${join(root, 'acl')}`] }),
    buildProduct(),
  ]);
  // what IT puts in /etc/hanvisa (docs/deploy.md); systemd makes /var/lib/hanvisa (StateDirectoryMode)
  const etc = join(root, 'etc/hanvisa');
  await mkdir(etc, { recursive: true });
  const [mode] = settings('hanvisa-recorder.service', 'StateDirectoryMode');
  await mkdir(join(root, 'var/lib/hanvisa'), { recursive: true, mode: Number.parseInt(mode ?? '', 8) });
  const users: User[] = [
    {
      username: 'olle',
      name: 'Olle',
      role: 'operator',
      orgs: [ORG],
      passwordHash: await hashPassword('olle-password', { N: 1024, r: 8, p: 1 }),
    },
  ];
  await writeFile(join(etc, 'users.json'), JSON.stringify(users));
  await writeFile(join(etc, 'board-broker.password'), `${BROKER_PASSWORDS['board-grastorp']}\n`);
  await writeFile(join(etc, 'recorder-broker.password'), `${BROKER_PASSWORDS.recorder}\n`);
  await writeFile(join(etc, 'board-session.secret'), `${SECRET}\n`);

  // the recorder first, as the board's unit is ordered after it, with its unit's umask
  const [umask] = settings('hanvisa-recorder.service', 'UMask');
  const { command } = execStart('hanvisa-recorder.service');
  recorder = await spawnServer(
    'hanvisa record',
    '/bin/sh',
    [
      '-c',
      `umask ${umask} && exec "$@"`,
      'sh',
      process.execPath,
      HANVISA,
      command ?? '',
      ...(await asInstalled('hanvisa-recorder.service')),
    ],
    recorderLog,
    () => vi.waitFor(() => expect(recorderLog.output).toMatch(/^recording /m), { timeout: 20_000 }),
    { env: { ...process.env, HANVISA_LOG: 'warn' } },
  );
  board = await startBoardProcess(await asInstalled('hanvisa-board.service'));
}, 120_000);

afterAll(async () => {
  await board?.kill();
  if (recorder) {
    recorder.kill('SIGTERM');
    await exited(recorder);
  }
  await broker?.dispose();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the board and the recorder as their units start them', () => {
  it("keep one store: an operator's referral is in the trail, the statistics answer, no other user reads it", async () => {
    const url = board?.url ?? '';
    const login = await fetch(new URL('/login', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'olle', password: 'olle-password' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';

    // an operator's referral, as a board publishes it (the board's login may write presences)
    const client = await mqtt.connectAsync(broker.url, {
      protocolVersion: 4,
      username: 'board-grastorp',
      password: BROKER_PASSWORDS['board-grastorp'],
      clientId: 'test-operator',
    });
    const referral = encode({
      ...EXAMPLES.presence,
      org: ORG,
      ext: EXT,
      body: { ...EXAMPLES.presence.body, seq: 1, by: { kind: 'operator', id: 'olle' } },
    } as Message);
    await client.publishAsync(referral.topic, referral.payload, { qos: 1, retain: referral.retain });
    await client.endAsync();

    await vi.waitFor(
      async () => {
        const res = await fetch(new URL(`/api/audit/${ORG}/${EXT}`, url), { headers: { cookie } });
        expect(res.status).toBe(200);
        const answer = (await res.json()) as { kept: boolean; lines: { by: string }[] };
        expect(answer).toMatchObject({ kept: true, lines: [{ by: 'olle' }] });
      },
      { timeout: 15_000 },
    );
    const stats = await fetch(new URL(`/api/stats?org=${ORG}`, url), { headers: { cookie } });
    expect(stats.status).toBe(200);

    const store = join(root, 'var/lib/hanvisa/record.db');
    expect((await stat(store)).mode & 0o077).toBe(0);
    expect((await stat(dirname(store))).mode & 0o077).toBe(0);
  });
});
