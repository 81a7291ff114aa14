// The systemd units in deploy/systemd start commands this build really has: every option on their
// ExecStart lines is one the command accepts (its parser is strict, so a renamed or misspelled option
// fails here instead of at 7:55 on a Monday), and the Node flags are Node's. systemd itself checks the
// files (systemd-analyze verify), the services on the switchboard host stay hardened (its offline
// security score), and the board reads the store the recorder writes.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { aclAccounts, EXAMPLE_ACL } from '../../protocol/acl.js';
import { helpCheck } from '../support/help-check.js';
import { execStart, settings, UNITS as units } from '../support/systemd-units.js';

const run = promisify(execFile);

/** The value after `option` on a unit's ExecStart. */
function option(file: string, name: string): string | undefined {
  const { args } = execStart(file);
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
}

describe('deploy/systemd units', () => {
  const files = readdirSync(units).filter((f) => f.endsWith('.service'));

  it('covers the agent, the board, the notifier and the recorder', () => {
    expect(files.sort()).toEqual([
      'hanvisa-agent.service',
      'hanvisa-board.service',
      'hanvisa-notify.service',
      'hanvisa-recorder.service',
    ]);
  });

  it.each(files)('%s starts a command with options it accepts and Node flags Node has', async (file) => {
    const { node, nodeFlags, command, args } = execStart(file);
    expect(node).toBe('/usr/bin/node');
    for (const flag of nodeFlags) expect(process.allowedNodeEnvironmentFlags.has(flag), flag).toBe(true);
    expect(['agent', 'board', 'record', 'notify']).toContain(command);
    const { result, output } = await helpCheck(command ?? '', args);
    expect(result).toBeUndefined();
    expect(output).toMatch(/usage: hanvisa/i);
  });

  it('fails for an option the command does not have (the check can fail)', async () => {
    await expect(helpCheck('board', ['--brokers', 'mqtt://x'])).rejects.toThrow(/--brokers/);
    await expect(helpCheck('record', ['--stats', 'x.db'])).rejects.toThrow(/--stats/);
  });

  it.each(files)('%s passes systemd-analyze verify', async (file) => {
    await expect(run('systemd-analyze', ['verify', join(units, file)])).resolves.toBeDefined();
  });

  it.each(['hanvisa-board.service', 'hanvisa-notify.service', 'hanvisa-recorder.service'])(
    '%s keeps systemd’s exposure level at most 4.0 (“OK”)',
    async (file) => {
      const check = run('systemd-analyze', [
        'security',
        '--offline=true',
        '--threshold=40',
        join(units, file),
      ]);
      await expect(check).resolves.toBeDefined();
    },
  );

  it('the board reads the store the recorder writes: one file, in the state directory both have, as one user', () => {
    const board = 'hanvisa-board.service';
    const recorder = 'hanvisa-recorder.service';
    const store = option(recorder, '--store');
    expect(store).toMatch(/^\/var\/lib\/hanvisa\/[\w-]+\.db$/);
    expect(option(board, '--stats')).toBe(store);
    for (const key of ['User', 'StateDirectory', 'StateDirectoryMode'])
      expect(settings(board, key), key).toEqual(settings(recorder, key));
    expect(settings(recorder, 'StateDirectory')).toEqual(['hanvisa']);
    // at boot and at an upgrade the recorder migrates first; the board only orders itself after it
    expect(settings(board, 'After').join(' ')).toContain('hanvisa-recorder.service');
    // its login is the ACL's recorder account (hanvisa devices acl), as the board's is the ACL's board
    const accounts = aclAccounts(EXAMPLE_ACL).map((a) => a.username);
    expect(accounts).toContain(option(recorder, '--username'));
    expect(accounts).toContain(option(board, '--username'));
    expect(accounts).toContain(option('hanvisa-notify.service', '--username'));
  });
});
