// `hanvisa devices` without a broker: the ACL for a devices file, a dry run of an import, wrong usage.
// (Everything that talks to a broker and real desk agents is in test/integration/provisioning.test.ts.)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAcl } from '../../protocol/index.js';
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

describe('hanvisa devices acl', () => {
  it("prints renderAcl's file for the example devices, with the default service users", async () => {
    const result = await runDevices(['acl', '--org', 'sjovik', '--devices', 'examples/devices.csv']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      renderAcl({
        desks: [
          { deviceId: 'desk-2001', org: 'sjovik', ext: '2001' },
          { deviceId: 'desk-2002', org: 'sjovik', ext: '2002' },
          { deviceId: 'desk-2101', org: 'sjovik', ext: '2101' },
          { deviceId: 'desk-2201', org: 'sjovik', ext: '2201' },
        ],
        boards: [{ username: 'board-sjovik', org: 'sjovik' }],
        switchboards: [{ username: 'switchboard-sjovik', org: 'sjovik' }],
        provisioning: ['provisioning'],
        recorders: [{ username: 'recorder' }],
      }),
    );
  });

  it('takes other service users, and prints no ACL for a file with a bad row', async () => {
    const ok = await runDevices([
      'acl',
      '--org',
      'sjovik',
      '--devices',
      'examples/devices.csv',
      '--board-user',
      'board-a',
      '--board-user',
      'board-b',
      '--provisioning-user',
      'it-1',
    ]);
    expect(ok.stdout).toContain('user board-a\n');
    expect(ok.stdout).toContain('user board-b\n');
    expect(ok.stdout).toContain('user it-1\n');
    expect(ok.stdout).not.toContain('user provisioning\n');

    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'device,ext\ndesk-1,4711\ndesk-2,12ab\n');
    const refused = await runDevices(['acl', '--org', 'sjovik', '--devices', bad]);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toContain(`${bad}:3: ext "12ab": 1-15 digits`);

    const clash = await runDevices([
      'acl',
      '--org',
      'sjovik',
      '--devices',
      'examples/devices.csv',
      '--board-user',
      'desk-2001',
    ]);
    expect(clash).toMatchObject({ code: 1, stdout: '' });
    expect(clash.stderr).toContain(
      'username "desk-2001" is both the device on line 2 and --board-user desk-2001\n',
    );
  });

  it('gives the recorder read access: of every organisation by default, of one with ORG=USER', async () => {
    const csv = join(dir, 'recorders.csv');
    await writeFile(csv, 'org;device;ext\nlerum;desk-l1;4711\nvargarda;desk-v1;200\n');
    const acl = (...users: string[]) =>
      runDevices(['acl', '--devices', csv, ...users.flatMap((u) => ['--recorder-user', u])]);
    const byDefault = await acl();
    expect(byDefault).toMatchObject({ code: 0, stderr: '' });
    expect(byDefault.stdout).toContain('\nuser recorder\ntopic read hanvisa/v1/+/#\n\n');
    const each = await acl('lerum=rec-lerum', 'vargarda=rec-vargarda');
    expect(each.stdout).toContain('\nuser rec-lerum\ntopic read hanvisa/v1/lerum/#\n\n');
    expect(each.stdout).toContain('\nuser rec-vargarda\ntopic read hanvisa/v1/vargarda/#\n\n');
    expect(each.stdout).not.toContain('user recorder\n');
    const typo = await acl('lerun=rec-lerum');
    expect(typo).toMatchObject({ code: 1, stdout: '' });
    expect(typo.stderr).toContain('--recorder-user lerun=rec-lerum: the devices file has no desk of lerun\n');
    const clash = await acl('desk-l1');
    expect(clash.stderr).toContain(
      'username "desk-l1" is both the device on line 2 and --recorder-user desk-l1\n',
    );
  });

  it('renders one ACL for every organisation in the org column, --org for rows without one', async () => {
    const csv = join(dir, 'samsa.csv');
    await writeFile(csv, 'org;device;ext\nlerum;desk-l1;4711\n;desk-a1;4711\nvargarda;desk-v1;200\n');
    const result = await runDevices([
      'acl',
      '--org',
      'alingsas',
      '--devices',
      csv,
      '--board-user',
      'lerum=board-lerum-1',
      '--board-user',
      'lerum=board-lerum-2',
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      renderAcl({
        desks: [
          { deviceId: 'desk-l1', org: 'lerum', ext: '4711' },
          { deviceId: 'desk-a1', org: 'alingsas', ext: '4711' },
          { deviceId: 'desk-v1', org: 'vargarda', ext: '200' },
        ],
        boards: [
          { username: 'board-alingsas', org: 'alingsas' },
          { username: 'board-lerum-1', org: 'lerum' },
          { username: 'board-lerum-2', org: 'lerum' },
          { username: 'board-vargarda', org: 'vargarda' },
        ],
        switchboards: ['alingsas', 'lerum', 'vargarda'].map((org) => ({
          username: `switchboard-${org}`,
          org,
        })),
        provisioning: ['provisioning'],
        recorders: [{ username: 'recorder' }],
      }),
    );
    const example = await runDevices(['acl', '--devices', 'examples/samsa-devices.csv']);
    expect(example).toMatchObject({ code: 0, stderr: '' });
    for (const org of ['alingsas', 'lerum', 'vargarda'])
      expect(example.stdout).toContain(`user board-${org}\n`);
    const lerumOnly = await runDevices([
      'import',
      '--org',
      'lerum',
      '--dry-run',
      'examples/samsa-devices.csv',
    ]);
    expect(lerumOnly).toMatchObject({ code: 0, stderr: '' });
    expect(lerumOnly.stdout).toBe(
      [
        'examples/samsa-devices.csv: 4 rows, 2 valid',
        '2 row(s) of other organisations left alone (alingsas, vargarda)',
        'would assign desk-l-4711 as config (next version): ext 4711',
        'would assign desk-l-4712 as config (next version): ext 4712',
        '',
      ].join('\n'),
    );
    // Without --org every row needs its org cell.
    const noOrg = await runDevices(['acl', '--devices', csv]);
    expect(noOrg).toMatchObject({ code: 1, stdout: '' });
    expect(noOrg.stderr).toContain(`${csv}:3: org: empty, and no --org given\n`);
  });

  it('refuses a device id in two organisations, and a file without orgs when --org is not given', async () => {
    const csv = join(dir, 'twice.csv');
    await writeFile(csv, 'org,device,ext\nlerum,desk-1,1\nvargarda,desk-1,2\n');
    const twice = await runDevices(['acl', '--devices', csv]);
    expect(twice).toMatchObject({ code: 1, stdout: '' });
    expect(twice.stderr).toContain(
      `${csv}:3: device: desk-1 appears on lines 2, 3; none of them is imported\n`,
    );
    const orgless = await runDevices(['acl', '--devices', 'examples/devices.csv']);
    expect(orgless.code).toBe(2);
    expect(orgless.stderr).toContain('devices acl needs --org, or an org column in the devices file');
  });
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
});
