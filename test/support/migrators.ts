// Several processes migrating one recorder store at the same moment (a board and a recorder starting
// together at an upgrade): test/support/migrate-child.ts bundled once by esbuild as CommonJS (its
// packages left to node_modules, which require() finds through NODE_PATH; no dist/ build needed), each
// child started, and all told "go" once every one is loaded.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './build-product.js';
import { exited } from './server-process.js';

export interface Migrators {
  /** Starts `count` processes on `location` at once; resolves with what each printed and its exit code. */
  race(location: string, count: number): Promise<{ code: number | null; output: string }[]>;
  dispose(): Promise<void>;
}

export async function bundleMigrators(): Promise<Migrators> {
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-migrators-'));
  const script = join(dir, 'migrate-child.cjs');
  await build({
    entryPoints: [join(ROOT, 'test/support/migrate-child.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  const env = { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), HANVISA_LOG: 'silent' };
  return {
    async race(location, count) {
      const children: { proc: ChildProcess; output: string }[] = [];
      await Promise.all(
        Array.from({ length: count }, async () => {
          const proc = spawn(process.execPath, [script, location], { env, stdio: ['pipe', 'pipe', 'pipe'] });
          const child = { proc, output: '' };
          children.push(child);
          await new Promise<void>((resolve, reject) => {
            const seen = (d: Buffer) => {
              child.output += d;
              if (child.output.includes('ready\n')) resolve();
            };
            proc.stdout?.on('data', seen);
            proc.stderr?.on('data', (d) => {
              child.output += d;
            });
            proc.once('exit', () => reject(new Error(`migrator exited before ready:\n${child.output}`)));
          });
        }),
      );
      for (const { proc } of children) proc.stdin?.write('go\n');
      await Promise.all(children.map(({ proc }) => exited(proc)));
      return children.map(({ proc, output }) => ({ code: proc.exitCode, output }));
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
