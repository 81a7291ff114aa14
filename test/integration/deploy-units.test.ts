// The systemd units in deploy/systemd start commands this build really has: every option on their
// ExecStart lines is one the command accepts (its parser is strict, so a renamed or misspelled option
// fails here instead of at 7:55 on a Monday), and the Node flags are Node's.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { helpCheck } from '../support/help-check.js';

const units = join(dirname(fileURLToPath(import.meta.url)), '../../deploy/systemd');

/** A unit's ExecStart split into Node's flags, the hanvisa command and its arguments. */
function execStart(file: string) {
  const line = /^ExecStart=(.*)$/m.exec(readFileSync(join(units, file), 'utf8'))?.[1];
  if (!line) throw new Error(`${file} has no ExecStart`);
  const words = line.trim().split(/\s+/);
  const script = words.findIndex((w) => w.endsWith('/dist/bin/hanvisa.js'));
  expect(script, `${file}: ExecStart runs dist/bin/hanvisa.js`).toBeGreaterThan(0);
  expect(words[0]).toBe('/usr/bin/node');
  return {
    nodeFlags: words.slice(1, script),
    command: words[script + 1],
    // %d is systemd's credentials directory
    args: words.slice(script + 2).map((w) => w.replace('%d', '/run/credentials/unit')),
  };
}

describe('deploy/systemd units', () => {
  const files = readdirSync(units).filter((f) => f.endsWith('.service'));

  it('covers the agent and the board', () => {
    expect(files.sort()).toEqual(['hanvisa-agent.service', 'hanvisa-board.service']);
  });

  it.each(files)('%s starts a command with options it accepts and Node flags Node has', async (file) => {
    const { nodeFlags, command, args } = execStart(file);
    for (const flag of nodeFlags) expect(process.allowedNodeEnvironmentFlags.has(flag), flag).toBe(true);
    expect(['agent', 'board']).toContain(command);
    const { result, output } = await helpCheck(command ?? '', args);
    expect(result).toBeUndefined();
    expect(output).toMatch(/usage: hanvisa/i);
  });

  it('fails for an option the command does not have (the check can fail)', async () => {
    await expect(helpCheck('board', ['--brokers', 'mqtt://x'])).rejects.toThrow(/--brokers/);
  });
});
