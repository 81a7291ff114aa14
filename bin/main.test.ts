import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linesContext } from '../test/support/command.js';
import { hanvisa } from './main.js';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await hanvisa(argv, linesContext({ out: (l) => out.push(l), err: (l) => err.push(l) }));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('hanvisa', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-main-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints package.json's version with --version", async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect(await run(['--version'])).toEqual({ code: 0, out: `hanvisa ${version}`, err: '' });
  });

  it('names the command a mistyped one is nearest', async () => {
    const { code, err } = await run(['borad']);
    expect(code).toBe(2);
    expect(err).toMatch(/^hanvisa: unknown command "borad" \(did you mean board\?\)\n/);
    expect((await run(['frobnicate'])).err).toMatch(/^hanvisa: unknown command "frobnicate"\n/);
  });

  it('prints a missing file as one line naming the command, exit 1', async () => {
    const missing = join(dir, 'desk.json');
    expect(await run(['agent', '--config', missing])).toEqual({
      code: 1,
      out: '',
      err: `hanvisa agent: agent config: no such file: ${missing}`,
    });
  });

  it("gives every command's JSON file's syntax error its line and column, in one line", async () => {
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{\n  "org": "x",\n  "deviceId": "d"\n  "ext": "1"\n}\n');
    for (const argv of [
      ['agent', '--config', broken],
      ['org', '--org', 'x', '--settings', broken, '--check'],
      ['calendar', '--org', 'x', '--config', broken, '--check'],
      ['phone', '--config', broken],
      ['board', '--users', broken, '--port', '0'],
      ['users', 'list', '--file', broken],
    ]) {
      const { code, err } = await run(argv);
      expect(code, argv[0]).toBeGreaterThan(0);
      expect(err, argv[0]).toMatch(
        new RegExp(
          `^hanvisa ${argv[0]}: [a-z ]+ ${broken}:4:3: not JSON: Expected ',' or '}' after property value$`,
        ),
      );
    }
  });

  it('answers a mistyped option with the one it is nearest, and the usage', async () => {
    const { code, err } = await run(['agent', '--conifg', 'desk.json']);
    expect(code).toBe(2);
    expect(err).toMatch(
      /^hanvisa agent: unknown option --conifg \(did you mean --config\?\)\n\nUsage: hanvisa agent/,
    );
  });
});
