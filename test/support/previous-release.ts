// Earlier code, built: the previous release from its commit as recorded in releases.json (a fresh clone
// has the history but maybe not the tags), or an older desk agent. `git archive` of the commit into a
// temp dir, this checkout's node_modules linked in, and that commit's own `npm run build` (tsc, then its
// pages' bundles). Built once per commit and checkout, reused by every test of the run and by the next
// run of this checkout.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './build-product.js';

const run = promisify(execFile);

export interface Release {
  version: string;
  /** null: this tree (the release being made; the next release records its commit) */
  commit: string | null;
  date: string;
}

export function releases(): Release[] {
  return (JSON.parse(readFileSync(join(ROOT, 'releases.json'), 'utf8')) as { releases: Release[] }).releases;
}

/** The release before package.json's version. */
export function previousRelease(): Release & { commit: string } {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const all = releases();
  const at = all.findIndex((r) => r.version === version);
  const previous = all[at - 1];
  if (at < 1 || !previous?.commit)
    throw new Error(`releases.json has no release with a commit before ${version}`);
  return { ...previous, commit: previous.commit };
}

/** Whether this clone holds the commit (a shallow clone does not). */
export async function hasCommit(commit: string): Promise<boolean> {
  try {
    await run('git', ['-C', ROOT, 'cat-file', '-e', `${commit}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * The source tree of `commit` (a release, or an older desk: `name` says which) with `dist/` built;
 * returns its root. The build goes to a fresh directory renamed into place when done, so a test run
 * that stops half-way leaves nothing that looks built.
 */
export async function buildCommit(name: string, commit: string): Promise<string> {
  // one build per commit and checkout: its node_modules link points into this checkout
  const checkout = createHash('sha256').update(ROOT).digest('hex').slice(0, 8);
  const dir = join(tmpdir(), `hanvisa-build-${name}-${commit.slice(0, 12)}-${checkout}`);
  if (existsSync(join(dir, 'dist', 'bin', 'hanvisa.js'))) return dir;
  const work = `${dir}.building-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const archive = join(work, 'source.tar');
  await run('git', ['-C', ROOT, 'archive', '--format=tar', '-o', archive, commit]);
  await run('tar', ['-xf', archive, '-C', work]);
  await rm(archive);
  await symlink(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
  try {
    await run(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: work,
      },
    );
  } catch (e) {
    // today's compiler may be stricter than the release's: what it emitted is the release's code all the same
    console.warn(`[build ${name}] tsc reported errors; using what it emitted`, e);
  }
  // the rest of its `npm run build`: the pages' bundles, which its board serves (since issue 14)
  const bundles = join(work, 'scripts', 'build-web.mjs');
  if (existsSync(bundles)) await run(process.execPath, [bundles], { cwd: work });
  if (!existsSync(join(work, 'dist', 'bin', 'hanvisa.js')))
    throw new Error(`${name} (${commit}) did not build in ${work}`);
  try {
    await rename(work, dir);
  } catch (e) {
    // another test file of this run built the same commit at the same time: its build is as good
    if (!existsSync(join(dir, 'dist', 'bin', 'hanvisa.js'))) throw e;
    await rm(work, { recursive: true, force: true });
  }
  return dir;
}
