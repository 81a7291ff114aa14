// deploy/pi/install.sh, run for real (as root, which this machine's tests are) into a temporary root
// (DESTDIR) from a staged copy of the package: the real useradd/groupadd --prefix write that root's own
// user database, and systemd-analyze verifies the unit it installed. Only apt, udevadm and systemctl
// are left out, as the script does for every DESTDIR install.
import { execFile } from 'node:child_process';
import {
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { udevRules } from '../../hardware/udev.js';

const run = promisify(execFile);
const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const NATIVE = [
  '@serialport',
  'node-hid',
  'node-libgpiod',
  '@napi-rs',
  '@julusian',
  'node-addon-api',
  'bindings',
  'file-uri-to-path',
  'pkg-prebuilds',
  'node-gyp-build',
];

describe('deploy/pi/install.sh into a temporary root', () => {
  let dir: string;
  let pkg: string;
  let root: string;

  /** The package as it is unpacked on a Pi: the deploy files, a built dist, its node_modules. */
  function stage(modules: string[]) {
    pkg = join(dir, 'pkg');
    cpSync(join(repo, 'deploy'), join(pkg, 'deploy'), { recursive: true });
    mkdirSync(join(pkg, 'dist/bin'), { recursive: true });
    writeFileSync(join(pkg, 'dist/bin/hanvisa.js'), '');
    mkdirSync(join(pkg, 'node_modules'));
    for (const m of modules) symlinkSync(join(repo, 'node_modules', m), join(pkg, 'node_modules', m));
  }

  async function install(...args: string[]) {
    return run('bash', [join(pkg, 'deploy/pi/install.sh'), ...args], {
      env: { ...process.env, DESTDIR: root },
    });
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hanvisa-pi-'));
    root = join(dir, 'root');
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\ndialout:x:20:\nplugdev:x:46:\n');
    writeFileSync(join(root, 'etc/shadow'), 'root:*:19000:0:99999:7:::\n', { mode: 0o640 });
    writeFileSync(join(root, 'etc/gshadow'), 'root:*::\ndialout:*::\nplugdev:*::\n', { mode: 0o640 });
    // serialport's binding always builds; node-libgpiod only where libgpiod-dev was there at npm install
    writeFileSync(
      join(dir, 'agent.json'),
      JSON.stringify({ driver: { type: 'serial', path: '/dev/ttyACM0' } }),
    );
    writeFileSync(join(dir, 'gpio.json'), JSON.stringify({ driver: { type: 'gpio', board: 'pi5' } }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the user and groups, installs rules, unit, config and journal folder; the unit verifies', async () => {
    stage(NATIVE);
    const { stdout } = await install('--config', join(dir, 'agent.json'));
    const passwd = readFileSync(join(root, 'etc/passwd'), 'utf8');
    const user = /^hanvisa:x:(\d+):(\d+):[^:]*:\/var\/lib\/hanvisa:\/usr\/sbin\/nologin$/m.exec(passwd);
    expect(user, passwd).not.toBeNull();
    const group = readFileSync(join(root, 'etc/group'), 'utf8');
    for (const g of ['dialout', 'plugdev', 'gpio'])
      expect(group).toMatch(new RegExp(`^${g}:x:\\d+:.*hanvisa`, 'm'));

    expect(readFileSync(join(root, 'etc/udev/rules.d/60-hanvisa.rules'), 'utf8')).toBe(udevRules());
    const unit = join(root, 'etc/systemd/system/hanvisa-agent.service');
    expect(readFileSync(unit, 'utf8')).toBe(
      readFileSync(join(repo, 'deploy/systemd/hanvisa-agent.service'), 'utf8'),
    );
    const config = statSync(join(root, 'etc/hanvisa/agent.json'));
    expect(config.mode & 0o777).toBe(0o640);
    expect(config.gid).toBe(Number(user?.[2]));
    const journal = statSync(join(root, 'var/lib/hanvisa'));
    expect([journal.uid, journal.mode & 0o777]).toEqual([Number(user?.[1]), 0o750]);
    expect(lstatSync(join(root, 'opt/hanvisa')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(root, 'opt/hanvisa'))).toBe(pkg);
    expect(stdout).toContain('native module @napi-rs/canvas: loads');
    expect(stdout).toContain(`installed into ${root}`);

    await expect(run('systemd-analyze', ['verify', unit])).resolves.toBeDefined();
    // agent updates: the unit starts the release `current` links, the timer holds an update's deadline
    expect(readlinkSync(join(root, 'var/lib/hanvisa/current'))).toBe(join(root, 'opt/hanvisa'));
    expect(lstatSync(join(root, 'var/lib/hanvisa/current')).uid).toBe(Number(user?.[1]));
    const timer = join(root, 'etc/systemd/system/hanvisa-agent-update.timer');
    const check = join(root, 'etc/systemd/system/hanvisa-agent-update.service');
    await expect(run('systemd-analyze', ['verify', timer, check])).resolves.toBeDefined();

    // again: idempotent, and an edited config is kept
    writeFileSync(join(root, 'etc/hanvisa/agent.json'), '{"edited":true}');
    const again = await install();
    expect(again.stdout).toContain('keeping /etc/hanvisa/agent.json');
    expect(readFileSync(join(root, 'etc/passwd'), 'utf8').match(/^hanvisa:/gm)).toHaveLength(1);
  });

  it("refuses with a clear message when the configured driver's native module does not load", async () => {
    stage(NATIVE.filter((m) => m !== 'node-libgpiod'));
    const error = (await install('--config', join(dir, 'gpio.json')).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(error.code).toBe(1);
    expect(error.stderr).toContain('native module node-libgpiod does NOT load, and driver gpio needs it');
    expect(error.stderr).toContain('npm rebuild');
  });

  it('the shipped udev rules are the generated ones', () => {
    expect(readFileSync(join(repo, 'deploy/pi/60-hanvisa.rules'), 'utf8')).toBe(udevRules());
  });
});
