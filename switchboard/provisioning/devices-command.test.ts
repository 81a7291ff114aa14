// `hanvisa devices` without a broker: a dry run of an import, a layout refused, wrong usage (the ACL
// for a devices file is in devices-acl.test.ts).
// (Everything that talks to a broker and real desk agents is in test/integration/provisioning.test.ts.)
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../test/support/command.js';
import { devicesCommand } from './devices-command.js';

const runDevices = (args: string[]) => runCommand(devicesCommand, args);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-devices-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hanvisa devices import --dry-run', () => {
  it('checks the example file and its layout without a broker', async () => {
    const result = await runDevices(['import', '--org', 'sjovik', '--dry-run', 'examples/devices.csv']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('examples/devices.csv: 4 rows, 4 valid\n');
    expect(result.stdout).toContain('would assign desk-2001 as config (next version): ext 2001\n');
  });

  it('--json prints the plan for scripts', async () => {
    const result = await runDevices([
      'import',
      '--org',
      'sjovik',
      '--dry-run',
      '--json',
      'examples/devices.csv',
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      file: 'examples/devices.csv',
      rows: 4,
      valid: 4,
      errors: [],
      published: false,
    });
    expect(report.results[0]).toMatchObject({
      device: 'desk-2001',
      version: null,
      ext: '2001',
      change: 'ext 2001',
      config: { forwardTo: '2002', queues: ['kontaktcenter'] },
      outcome: 'dry run',
      reason: null,
    });
  });

  it('reports a bad layout with the row that names it and publishes nothing', async () => {
    await writeFile(
      join(dir, 'twice.json'),
      '{"keys":[{"key":1,"action":{"type":"open"}},{"key":1,"action":{"type":"open"}}],"leds":[]}',
    );
    const csv = join(dir, 'devices.csv');
    await writeFile(csv, 'device;ext;layout\ndesk-1;4711;\ndesk-2;4712;twice.json\ndesk-3;4713;gone.json\n');
    const result = await runDevices(['import', '--org', 'sjovik', '--dry-run', csv]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${csv}:3: layout twice.json: keys[1]: 1 appears twice\n`);
    expect(result.stderr).toContain(
      `${csv}:4: layout gone.json: layout file: no such file: ${join(dir, 'gone.json')}`,
    );
    expect(result.stdout).toContain('2 error(s): nothing published');
    expect(result.stdout).not.toContain('would assign');
  });
});

describe('hanvisa devices assign --layout', () => {
  it('refuses a layout file that is not a layout before it connects anywhere', async () => {
    const file = join(dir, 'led-twice.json');
    await writeFile(
      file,
      '{"keys":[],"leds":[{"led":3,"role":{"type":"link"}},{"led":3,"role":{"type":"alt"}}]}',
    );
    // port 1 has no broker: had the command connected, it would say so
    const args = [
      'assign',
      '--org',
      'x',
      '--device',
      'desk-1',
      '--ext',
      '1',
      '--broker',
      'mqtt://127.0.0.1:1',
    ];
    expect(await runDevices([...args, '--layout', file])).toEqual({
      code: 1,
      stdout: '',
      stderr: `${file}: leds[1]: 3 appears twice\nnothing published\n`,
    });
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, 'keys: []');
    const result = await runDevices([...args, '--layout', notJson]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^.*not\.json: not JSON: /);
  });
});

describe('wrong usage is exit 2 and says what is wrong', () => {
  it.each([
    [[], ''],
    [['frobnicate', '--org', 'x'], 'unknown subcommand "frobnicate"'],
    [['lst', '--org', 'x'], 'unknown subcommand "lst" (did you mean list?)'],
    [['list', '--org', 'x', '--setle-ms', '5'], 'unknown option --setle-ms (did you mean --settle-ms?)'],
    [['list'], '--org ORG is required'],
    [['list', '--org', 'Bad Org'], '--org "Bad Org"'],
    [['list', '--org', 'x', '--device', 'desk-1'], 'devices list does not take --device'],
    [['assign', '--org', 'x', '--ext', '1'], '--device is required'],
    [
      ['assign', '--org', 'x', '--device', 'desk-1', '--queue', 'a', '--no-queues'],
      '--queue and --no-queues contradict each other',
    ],
    [
      ['assign', '--org', 'x', '--device', 'desk-1', '--forward-to', '1', '--no-forward-to'],
      '--forward-to and --no-forward-to contradict each other',
    ],
    [['assign', '--org', 'x', '--device', 'desk-1', '--ext', '12x'], 'ext "12x": 1-15 digits'],
    [['assign', '--org', 'x', '--device', 'Desk 1', '--ext', '1'], 'device "Desk 1"'],
    [['assign', '--org', 'x', '--device', 'desk-1', '--ext', '1', '--queue', 'A/B'], 'queue "A/B"'],
    [['identify', '--org', 'x', '--device', 'desk-1', '--seconds', '0'], '--seconds must be'],
    [['identify', '--org', 'x', '--device', 'desk-1', '--seconds', '301'], '--seconds must be'],
    [['restart', '--org', 'x', '--device', 'desk-1', '--timeout', 'soon'], '--timeout must be'],
    [
      ['update', '--org', 'x', '--device', 'desk-1', '--url', 'https://it/a.tar.gz', '--signing-key', 'k'],
      'devices update needs --package',
    ],
    [
      [
        'update',
        '--org',
        'x',
        '--device',
        'desk-1',
        '--package',
        'a.tar.gz',
        '--signing-key',
        'k',
        '--url',
        'ftp://it/a',
      ],
      '--url must be an http:// or https:// URL',
    ],
    [['import', '--org', 'x'], 'devices import needs the devices CSV'],
    [['acl', '--org', 'x'], 'devices acl needs --devices'],
    [['list', '--org', 'x', '--broker', 'localhost'], '--broker must be a URL'],
  ])('%j', async (args, message) => {
    const result = await runDevices(args);
    expect(result.code).toBe(2);
    expect(result.stderr + result.stdout).toContain(message);
    expect(result.stdout + result.stderr).toContain('Usage: hanvisa devices');
  });

  it('a file that is not there is one line, not the usage', async () => {
    const result = await runDevices(['import', '--org', 'x', 'missing.csv', '--dry-run']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'hanvisa devices: devices file: no such file: missing.csv\n',
    });
  });
  it('update: a package that is not one, or a key that cannot sign, is one line (as every bad file) and nothing is sent', async () => {
    const pkg = join(dir, 'not-a-package.tar.gz');
    await writeFile(pkg, 'plain text');
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pub = join(dir, 'release.pub');
    await writeFile(pub, publicKey.export({ type: 'spki', format: 'pem' }));
    const args = (file: string, key: string) => [
      'update',
      '--org',
      'x',
      '--device',
      'desk-1',
      '--package',
      file,
      '--url',
      'https://it/a.tar.gz',
      '--signing-key',
      key,
    ];
    const missing = await runDevices(args(join(dir, 'gone.tar.gz'), pub));
    expect(missing.stderr).toBe(`hanvisa devices: --package: no such file: ${join(dir, 'gone.tar.gz')}\n`);
    expect(missing.code).toBe(2);
    const notPackage = await runDevices(args(pkg, pub));
    expect(notPackage.stderr).toContain(`--package ${pkg}: not an agent package`);
    expect(notPackage.code).toBe(2);

    // a real package signed with the public key: createPrivateKey refuses it
    const good = join(dir, 'agent.tar.gz');
    await writeFile(join(dir, 'package.json'), '{"version":"0.2.0"}');
    await promisify(execFile)('tar', ['-czf', good, '-C', dir, 'package.json']);
    const wrongKey = await runDevices(args(good, pub));
    expect(wrongKey.stderr).toContain(`--signing-key ${pub}`);
    expect(wrongKey.code).toBe(2);
    await writeFile(join(dir, 'release.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    // signed: only then the broker is tried (port 1: nothing listens)
    const noBroker = await runDevices([
      ...args(good, join(dir, 'release.key')),
      '--broker',
      'mqtt://127.0.0.1:1',
    ]);
    expect(noBroker.code).toBe(1);
    expect(noBroker.stderr).not.toContain('--signing-key');
    expect(noBroker.stderr).not.toContain('--package');
  });
});
