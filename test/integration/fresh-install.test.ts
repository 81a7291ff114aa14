// What `npm install && npm test` does on a fresh machine: npm names no install script as unreviewed
// (package.json's allowScripts), and the GPIO library, whose build failed at npm install because
// libgpiod-dev came later, is built before the tests so its real-library test runs.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');

describe('a fresh install', () => {
  let staged: string | undefined;
  afterEach(() => {
    if (staged) rmSync(staged, { recursive: true, force: true });
  });

  it('leaves npm no install script to warn about', async () => {
    const { stdout } = await run('npm', ['install-scripts', 'ls'], { cwd: repo });
    expect(stdout.trim()).toBe('No packages with unreviewed install scripts.');
  });

  it('builds node-libgpiod after the system packages, before the tests', () => {
    const steps = readFileSync(join(repo, 'scripts/test.sh'), 'utf8').split('\n');
    const at = (line: string) => steps.findIndex((s) => s.startsWith(line));
    expect(at('bash scripts/ensure-system-deps.sh')).toBeGreaterThan(-1);
    expect(at('bash scripts/build-gpio-library.sh')).toBeGreaterThan(
      at('bash scripts/ensure-system-deps.sh'),
    );
    expect(at('npx vitest run')).toBeGreaterThan(at('bash scripts/build-gpio-library.sh'));
  });

  it.skipIf(!existsSync('/usr/include/gpiod.h'))(
    'rebuilds a node-libgpiod that did not build, through npm and its allowScripts',
    async () => {
      // a stand-in whose install script makes what it loads, as node-gyp makes the real one's binding
      staged = mkdtempSync(join(tmpdir(), 'hanvisa-fresh-'));
      const pkg = join(staged, 'node_modules/node-libgpiod');
      mkdirSync(join(staged, 'scripts'));
      mkdirSync(pkg, { recursive: true });
      cpSync(join(repo, 'scripts/build-gpio-library.sh'), join(staged, 'scripts/build-gpio-library.sh'));
      const { allowScripts } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
      writeFileSync(
        join(staged, 'package.json'),
        JSON.stringify({
          name: 'staged',
          private: true,
          optionalDependencies: { 'node-libgpiod': '*' },
          allowScripts,
        }),
      );
      const build = "require('fs').writeFileSync('binding.js', 'module.exports = {}')";
      writeFileSync(
        join(pkg, 'package.json'),
        JSON.stringify({
          name: 'node-libgpiod',
          version: '0.5.3',
          main: 'binding.js',
          scripts: { install: `node -e "${build}"` },
        }),
      );
      const { stdout } = await run('bash', [join(staged, 'scripts/build-gpio-library.sh')]);
      expect(stdout).toContain('node-libgpiod: building against libgpiod-dev');
      expect(stdout.trim().split('\n').at(-1)).toBe('node-libgpiod: built');
      expect(existsSync(join(pkg, 'binding.js'))).toBe(true);
    },
  );
});
