import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../cli/usage-error.js';
import { ConfigFileError } from '../config/json-file.js';
import { runCommand } from '../test/support/command.js';
import { boardCommand } from './board/command.js';
import { LOGIN_USAGE, loginOption } from './broker-options.js';
import { calendarCommand } from './calendar/command.js';
import { importCommand } from './directory/import-command.js';
import { orgCommand } from './org/command.js';
import { devicesCommand } from './provisioning/devices-command.js';
import { recordCommand } from './recorder/command.js';

describe('the broker login every command takes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-login-'));
    await writeFile(join(dir, 'pw'), 's3cret\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the password from --password-file, or takes the line stdin gave', () => {
    expect(loginOption({ username: 'it', 'password-file': join(dir, 'pw') })).toEqual({
      username: 'it',
      password: 's3cret',
    });
    expect(loginOption({ username: 'it', 'password-stdin': true }, 'typed')).toEqual({
      username: 'it',
      password: 'typed',
    });
  });

  it('takes the password one way, for a user, from a file that is there', () => {
    const both = { username: 'it', 'password-file': join(dir, 'pw'), 'password-stdin': true };
    expect(() => loginOption(both, 'typed')).toThrow(
      new UsageError('--password-file and --password-stdin: give the password one way'),
    );
    expect(() => loginOption({ 'password-stdin': true }, 'typed')).toThrow(
      new UsageError('--password-stdin needs --username'),
    );
    const missing = join(dir, 'missing');
    expect(() => loginOption({ username: 'it', 'password-file': missing })).toThrow(ConfigFileError);
    expect(() => loginOption({ username: 'it', 'password-file': missing })).toThrow(
      `--password-file: no such file: ${missing}`,
    );
  });

  it('is told in the same words in every command that logs in', async () => {
    const help: string[] = [];
    const ctx = {
      stdin: process.stdin,
      stdout: { write: (t: string) => help.push(t) },
      stderr: { write: (t: string) => help.push(t) },
    };
    for (const command of [boardCommand, recordCommand, orgCommand, calendarCommand]) {
      help.length = 0;
      await command(['--help'], ctx);
      expect(help.join('')).toContain(LOGIN_USAGE.trimEnd());
    }
    for (const command of [importCommand, devicesCommand]) {
      const { stdout } = await runCommand(
        command,
        command === devicesCommand ? ['list', '--help'] : ['--help'],
      );
      expect(stdout).toContain(LOGIN_USAGE.trimEnd());
      expect(stdout).toContain('--password-stdin');
    }
  });
});
