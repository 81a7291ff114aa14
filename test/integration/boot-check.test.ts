// deploy/pi/boot-check.sh on its own, against the records agent/update/releases.ts writes: the start
// checks (first start of a pushed release is its trial, a second one rolls it back) and the timer's
// deadline, with a systemctl stand-in on PATH that records what it was asked.
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT as REPO } from '../support/build-product.js';

const run = promisify(execFile);
const SCRIPT = join(REPO, 'deploy/pi/boot-check.sh');

describe('deploy/pi/boot-check.sh', () => {
  let dir: string;
  let state: string;
  const record = (deadline: number) =>
    `id=u-1\nversion=0.2.0\nfrom=${join(dir, 'old')}\nfrom_version=0.1.0\ndeadline=${deadline}\n`;
  const check = (...args: string[]) =>
    run('sh', [SCRIPT, ...args, state], { env: { ...process.env, PATH: `${dir}/bin:${process.env.PATH}` } });
  const now = () => Math.floor(Date.now() / 1000);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hanvisa-boot-check-'));
    state = join(dir, 'state');
    mkdirSync(join(state, 'update'), { recursive: true });
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin/systemctl'), `#!/bin/sh\necho "$@" >> ${dir}/systemctl.log\n`, {
      mode: 0o755,
    });
    mkdirSync(join(state, 'releases/0.2.0'), { recursive: true });
    symlinkSync(join(state, 'releases/0.2.0'), join(state, 'current'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the first start after a switch the trial, and rolls back at the next start', async () => {
    writeFileSync(join(state, 'update/pending'), record(now() + 60));
    await check();
    expect(existsSync(join(state, 'update/pending'))).toBe(false);
    expect(readFileSync(join(state, 'update/trial'), 'utf8')).toContain('version=0.2.0');
    expect(readlinkSync(join(state, 'current'))).toBe(join(state, 'releases/0.2.0'));

    // the trial ended without confirming (the new agent removes the trial once online)
    const { stderr } = await check();
    expect(readlinkSync(join(state, 'current'))).toBe(join(dir, 'old'));
    expect(existsSync(join(state, 'update/trial'))).toBe(false);
    expect(readFileSync(join(state, 'update/rolled-back'), 'utf8')).toContain(
      'reason=stopped before it came online',
    );
    expect(stderr).toContain(`0.2.0 stopped before it came online: switched back to ${join(dir, 'old')}`);
  });

  it('leaves a confirmed release alone; links the installed package when current is missing or points at nothing', async () => {
    await check();
    expect(readlinkSync(join(state, 'current'))).toBe(join(state, 'releases/0.2.0'));
    rmSync(join(state, 'releases/0.2.0'), { recursive: true });
    await check();
    expect(readlinkSync(join(state, 'current'))).toBe('/opt/hanvisa');
    rmSync(join(state, 'current'));
    await check();
    expect(readlinkSync(join(state, 'current'))).toBe('/opt/hanvisa');
  });

  it('--deadline: a trial past its deadline is switched back and the agent restarted; one within it is left', async () => {
    writeFileSync(join(state, 'update/trial'), record(now() + 60));
    await check('--deadline');
    expect(existsSync(join(dir, 'systemctl.log'))).toBe(false);
    expect(readlinkSync(join(state, 'current'))).toBe(join(state, 'releases/0.2.0'));

    writeFileSync(join(state, 'update/trial'), record(now() - 1));
    await check('--deadline');
    expect(readlinkSync(join(state, 'current'))).toBe(join(dir, 'old'));
    expect(readFileSync(join(state, 'update/rolled-back'), 'utf8')).toContain(
      'reason=was not online within its deadline',
    );
    expect(readFileSync(join(dir, 'systemctl.log'), 'utf8')).toBe('restart hanvisa-agent.service\n');
  });
});
