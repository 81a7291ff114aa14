// `hanvisa import` as the provisioning user of the committed production ACL (deploy/mosquitto/acl),
// password from stdin: it must be able to read the directory back, or --prune and the unchanged check
// would silently see an empty broker (MQTT 3.1.1 does not report a refused read).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCommand } from '../../switchboard/directory/import-command.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const ACL = join(dirname(fileURLToPath(import.meta.url)), '../../deploy/mosquitto/acl');
const PASSWORD = 'secret-provisioning';
const PEOPLE = 'examples/people.csv';
const DEPARTMENTS = 'examples/departments.csv';

let broker: Mosquitto;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-import-acl-'));
  broker = await startMosquitto({ users: { provisioning: PASSWORD }, config: [`acl_file ${ACL}`] });
});
afterAll(async () => {
  await broker?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function run(args: string[], password = PASSWORD) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await importCommand(
    ['--broker', broker.url, '--org', 'grastorp', '--username', 'provisioning', '--password-stdin', ...args],
    {
      stdin: Readable.from([`${password}\n`]),
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
    },
  );
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('hanvisa import under the production ACL', () => {
  it('publishes, reads its directory back, and prunes', async () => {
    const first = await run(['--people', PEOPLE, '--departments', DEPARTMENTS]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('published 13, unchanged 0');

    const again = await run(['--people', PEOPLE, '--departments', DEPARTMENTS]);
    expect(again.stdout).toContain('broker holds 10 people and 3 departments of grastorp');
    expect(again.stdout).toContain('published 0, unchanged 13');

    const lines = (await readFile(PEOPLE, 'utf8')).split('\r\n').filter((l) => !l.startsWith('2204;'));
    const without = join(dir, 'without-2204.csv');
    await writeFile(without, lines.join('\r\n'));
    const pruned = await run(['--people', without, '--prune']);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain('published 0, unchanged 9, removed 1');
  });

  it('a wrong password is a clear failure, exit code 1', async () => {
    const result = await run(['--people', PEOPLE, '--departments', DEPARTMENTS], 'wrong');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot connect to .*: .*Not authorized/i);
  });
});
