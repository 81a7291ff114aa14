// `hanvisa devices acl`: the Mosquitto ACL for a devices file, with every service account the docs
// create, per organisation (the other `hanvisa devices` commands without a broker are in
// devices-command.test.ts).
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
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-devices-acl-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hanvisa devices acl', () => {
  it("prints renderAcl's file for the example devices, with every service account the docs create", async () => {
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
        calendars: [{ username: 'calendar-sjovik', org: 'sjovik' }],
        recorders: [{ username: 'recorder', org: 'sjovik' }],
        orgPublishers: [],
        importers: [],
        provisioning: ['provisioning'],
      }),
    );
  });

  it('names the recorder, calendar, settings and import accounts; one phone bridge account serves two organisations', async () => {
    const csv = join(dir, 'two.csv');
    await writeFile(csv, 'org;device;ext\nlerum;desk-l1;4711\nvargarda;desk-v1;200\n');
    const result = await runDevices([
      'acl',
      '--devices',
      csv,
      '--recorder-user',
      'stats',
      '--calendar-user',
      'lerum=cal-lerum',
      '--switchboard-user',
      'lerum=phone',
      '--switchboard-user',
      'vargarda=phone',
      '--org-user',
      'lerum=org-lerum',
      '--import-user',
      'vargarda=import-v',
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      renderAcl({
        desks: [
          { deviceId: 'desk-l1', org: 'lerum', ext: '4711' },
          { deviceId: 'desk-v1', org: 'vargarda', ext: '200' },
        ],
        boards: ['lerum', 'vargarda'].map((org) => ({ username: `board-${org}`, org })),
        switchboards: ['lerum', 'vargarda'].map((org) => ({ username: 'phone', org })),
        calendars: [
          { username: 'cal-lerum', org: 'lerum' },
          { username: 'calendar-vargarda', org: 'vargarda' },
        ],
        recorders: ['lerum', 'vargarda'].map((org) => ({ username: 'stats', org })),
        orgPublishers: [{ username: 'org-lerum', org: 'lerum' }],
        importers: [{ username: 'import-v', org: 'vargarda' }],
        provisioning: ['provisioning'],
      }),
    );
    expect(result.stdout.match(/^user phone$/gm)).toHaveLength(1);
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
        calendars: ['alingsas', 'lerum', 'vargarda'].map((org) => ({ username: `calendar-${org}`, org })),
        recorders: ['alingsas', 'lerum', 'vargarda'].map((org) => ({ username: 'recorder', org })),
        orgPublishers: [],
        importers: [],
        provisioning: ['provisioning'],
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
