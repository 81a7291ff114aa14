// The import command's offline paths: a dry run with both files needs no broker, wrong usage is exit 2.
// (Everything that talks to a broker is in test/integration/directory-import*.test.ts.)
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { importCommand } from './import-command.js';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await importCommand(args, {
    stdin: Readable.from(['']),
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('importCommand offline', () => {
  it('a dry run of both example files checks them without a broker', async () => {
    const result = await run([
      '--org',
      'sjovik',
      '--people',
      'examples/people.csv',
      '--departments',
      'examples/departments.csv',
      '--dry-run',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^examples\/people\.csv: 10 rows, 10 valid\nexamples\/departments\.csv: 3 rows, 3 valid\nwould publish 13, unchanged 0, would remove 0 \(sjovik\) in \d+ ms\n$/,
    );
  });

  it.each([
    [['--people', 'examples/people.csv'], '--org'],
    [['--org', 'Sjövik', '--people', 'examples/people.csv'], '--org'],
    [['--org', 'sjovik'], '--people is required'],
    [
      ['--org', 'sjovik', '--people', 'examples/people.csv', '--broker', 'localhost'],
      '--broker must be a URL',
    ],
    [['--org', 'sjovik', '--people', 'examples/people.csv', '--settle-ms', 'soon'], '--settle-ms'],
    [['--org', 'sjovik', '--people', 'examples/people.csv', '--frobnicate'], 'frobnicate'],
  ])('%j is wrong usage (exit 2)', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: hanvisa import');
  });

  it('--help prints the usage', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--allow-partial');
  });
});
