// IT follows README.md, docs/*.md and deploy/ literally, so what they show must be what this build
// has: every `hanvisa <command> ...` line goes through that command's own strict parser (with --help
// appended, so nothing starts), every repo path and link they name exists, and the agent config
// examples pass the agent's config schema.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../agent/runtime/config.js';
import { COMMANDS } from '../../bin/commands.js';
import { findKeypadProfile } from '../../hardware/hid/profiles.js';
import {
  codeBlocks,
  docFiles,
  docInvocations,
  type Found,
  invocations,
  prose,
  REPO,
  readDoc,
  repoPath,
} from '../support/doc-text.js';
import { type HelpCheck, helpCheck } from '../support/help-check.js';

/** Accepted: help printed and no usage error (commands that return an exit code return 0). */
function accepted({ result, output }: HelpCheck) {
  expect(result === undefined || result === 0, output).toBe(true);
  expect(output).toMatch(/usage: hanvisa/i);
}

describe('hanvisa command lines in README.md, docs/ and deploy/', () => {
  const cases = docInvocations();

  it('are found for every command the docs teach', () => {
    const taught = new Set(cases.map((c) => c.command));
    for (const command of ['broker', 'board', 'agent', 'simulate', 'import', 'users', 'devices'])
      expect(taught, command).toContain(command);
  });

  it.each(cases.map((c) => [`${c.where}: hanvisa ${[c.command, ...c.args].join(' ')}`, c] as const))(
    '%s',
    async (_, { command, args }) => {
      accepted(await helpCheck(command, args));
    },
  );

  const line = (text: string) => invocations({ where: 'test', text });

  it('fail for a misspelt option, command or subcommand (the check can fail)', async () => {
    const [option] = line('hanvisa import --org x --peple people.csv --dry-run');
    await expect(helpCheck('import', option?.args ?? [])).resolves.toMatchObject({ result: 2 });
    const [sub] = line('hanvisa users ad --file users.json');
    await expect(helpCheck('users', sub?.args ?? [])).resolves.toMatchObject({ result: 2 });
    const [devices] = line('hanvisa devices list --device desk-1');
    await expect(helpCheck('devices', devices?.args ?? [])).resolves.toMatchObject({ result: 2 });
    await expect(helpCheck('agent', ['--conf', 'desk.json'])).rejects.toThrow(/--conf/);
    await expect(helpCheck('imports', [])).rejects.toThrow(/no command "imports"/);
  });

  it('read shell and synopsis syntax as the reader does', () => {
    expect(line('hanvisa users add --file u.json --name "Anna Ek" --password-stdin < pw.txt # x')).toEqual([
      {
        where: 'test',
        command: 'users',
        args: ['add', '--file', 'u.json', '--name', 'Anna Ek', '--password-stdin'],
      },
    ]);
    expect(line('hanvisa board [--broker URL] [--username NAME --password-file <file>]')[0]?.args).toEqual([
      '--broker',
      'URL',
      '--username',
      'NAME',
      '--password-file',
      '<file>',
    ]);
    expect(line('hanvisa agent --config …')[0]?.args).toEqual(['--config', 'VALUE']);
    expect(line('hanvisa users ...')[0]?.args).toEqual([]);
    // mentions and a command list's descriptions are not invocations
    expect(line('IT: hanvisa import, hanvisa users').map((i) => i.command)).toEqual(['users']);
    expect(line('hanvisa start       broker + board')).toEqual([]);
    expect(line('# hanvisa broker ACL (Mosquitto acl_file)')).toEqual([]);
    // a command continued over lines with \ is one line, where it starts
    const [block] = codeBlocks('x.md', '```sh\nhanvisa import --org a \\\n  --people p.csv\n```\n');
    expect(block?.lines).toEqual([{ where: 'x.md:2', text: 'hanvisa import --org a  --people p.csv' }]);
  });
});

describe('README.md', () => {
  const readme = readDoc('README.md');
  const tableColumn = (heading: string) => {
    const section = readme.split(/^## /m).find((s) => s.startsWith(heading)) ?? '';
    return [...section.matchAll(/^\| (.*?) \|/gm)].map((m) => m[1] ?? '').slice(2);
  };

  it('lists the commands bin/commands.ts has', () => {
    const block = codeBlocks('README.md', readme).find((b) =>
      b.lines.some((l) => l.text.startsWith('hanvisa ')),
    );
    const listed = block?.lines.flatMap((l) => /^hanvisa (\S+)/.exec(l.text)?.[1] ?? []);
    expect(listed?.sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it("tables every top-level folder, and only those, in 'Folders'", () => {
    // what git ignores (node_modules/, dist/, test and bench results) is no folder of the project
    const ignored: string[] = readDoc('.gitignore').match(/^[\w.-]+(?=\/$)/gm) ?? [];
    const folders = readdirSync(REPO).filter(
      (f) => !f.startsWith('.') && !ignored.includes(f) && statSync(join(REPO, f)).isDirectory(),
    );
    expect(tableColumn('Folders').sort()).toEqual(folders.map((f) => `\`${f}/\``).sort());
  });

  it("links every docs/*.md in 'Documentation'", () => {
    const linked = tableColumn('Documentation').join(' ');
    for (const doc of docFiles().filter((f) => f.startsWith('docs/')))
      expect(linked, doc).toContain(`(${doc})`);
  });
});

/** GitHub's anchors for a markdown file's headings. */
function anchors(markdown: string): Set<string> {
  return new Set(
    [...prose(markdown).matchAll(/^#+ (.*)$/gm)].map((m) =>
      (m[1] ?? '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

const TOP = 'agent|bin|deploy|docs|examples|firmware|hardware|protocol|scripts|switchboard|test';

/** The links (markdown) and repo paths (anywhere, code included) a doc names. */
function named(file: string): { link: Found[]; path: Found[] } {
  const text = readDoc(file);
  const where = (index: number | undefined) => `${file}:${text.slice(0, index).split('\n').length}`;
  const link = file.endsWith('.md')
    ? [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)]
        .filter((m) => !/^[a-z]+:/.test(m[1] ?? ''))
        .map((m) => ({ where: where(m.index), text: m[1] ?? '' }))
    : [];
  // not a pattern (`test/bench/board-…`, `{org}`, `*`), nor what a build makes (firmware/build/)
  const path = [...text.matchAll(new RegExp(`(?<![\\w./-])(?:${TOP})/[\\w./-]*(?![\\w./{*<…-])`, 'g'))]
    // a path ending a sentence keeps the full stop out
    .map((m) => ({ where: where(m.index), text: m[0].replace(/[.:]+$/, '') }))
    .filter((p) => !p.text.startsWith('firmware/build/'));
  return { link, path };
}

describe('paths and links the docs name', () => {
  const docs = docFiles();

  it.each(docs)('%s: links go to files and headings that exist', (file) => {
    for (const { where, text } of named(file).link) {
      const [target = '', anchor] = text.split('#');
      const path = target === '' ? file : repoPath(file, target);
      expect(existsSync(join(REPO, path)), `${where}: ${text}`).toBe(true);
      if (anchor && path.endsWith('.md'))
        expect(anchors(readDoc(path)), `${where}: ${text}`).toContain(anchor);
    }
  });

  it.each(docs)('%s: repo paths exist', (file) => {
    for (const { where, text } of named(file).path)
      expect(existsSync(join(REPO, text)), `${where}: ${text}`).toBe(true);
  });

  it('find what a doc names, and the headings a link may point to', () => {
    const { link, path } = named('docs/deploy.md');
    expect(path.map((p) => p.text)).toContain('deploy/nginx/hanvisa-board.conf');
    expect(path.map((p) => p.text)).toContain('test/integration/deploy-units.test.ts');
    expect(named('README.md').link.map((l) => l.text)).toContain('docs/deploy.md');
    expect(link).toEqual([]);
    expect(anchors('# The board\n## Access (users)\n```\n# not a heading\n```')).toEqual(
      new Set(['the-board', 'access-users']),
    );
  });
});

describe('agent config examples', () => {
  const json = (file: string) =>
    codeBlocks(file, readDoc(file))
      .filter((b) => b.lang === 'json')
      .map((b) => ({ where: b.lines[0]?.where ?? file, text: b.lines.map((l) => l.text).join('\n') }));
  const [complete] = json('docs/agent.md');

  it('docs/agent.md shows a complete config the agent accepts', () => {
    expect(complete).toBeDefined();
    const config = parseConfig(JSON.parse(complete?.text ?? ''), complete?.where);
    expect(config.deviceId).toBe('desk-4711');
  });

  /** Each `"driver": {...}` of a fragment block (one or more lines each). */
  const drivers = (file: string) =>
    json(file).flatMap((block) =>
      block.text
        .split(/^(?="driver":)/m)
        .map((fragment) => ({ where: block.where, text: fragment.trim() }))
        .filter((f) => f.text.startsWith('"driver":')),
    );

  it.each(['docs/firmata-panels.md', 'docs/hid-panels.md', 'docs/gpio-panels.md', 'docs/streamdeck.md'])(
    '%s: each driver block is valid in that config',
    (file) => {
      const blocks = drivers(file);
      expect(blocks.length).toBeGreaterThan(1);
      for (const { where, text } of blocks) {
        const { driver } = JSON.parse(`{${text}}`) as { driver: { model?: string } };
        const config = { ...JSON.parse(complete?.text ?? ''), driver };
        expect(() => parseConfig(config, where), `${where}: ${text}`).not.toThrow();
        // a HID model is an X-keys one or a keypad profile of this build (checked at start, not by the schema)
        const model = driver.model;
        if (model && !model.startsWith('xkeys'))
          expect(findKeypadProfile(model), `${where}: ${model}`).toBeDefined();
      }
    },
  );
});
