// Where `hanvisa start` keeps a site between runs (docs: README, "The two commands"): one directory
// per site, by default under the user's state directory and named after the broker's port, so that a
// second copy on other ports never shares the first's broker state or recorder store. A lock file
// with the owner's PID makes that hold for an explicit --data too.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** $XDG_STATE_HOME/hanvisa/start-PORT, ~/.local/state/hanvisa/start-PORT without it. */
export function defaultDataDir(brokerPort: number, env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'hanvisa', `start-${brokerPort}`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the data directory for this process (made if missing); throws, naming the PID that holds it,
 * when another running copy does. A lock left by a copy that died is taken over. Returns the release.
 */
export function claimDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, 'lock');
  for (;;) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number.parseInt(readFileSync(lock, 'utf8'), 10);
    if (Number.isInteger(owner) && owner !== process.pid && alive(owner))
      throw new Error(
        `the data directory ${dir} is in use by another hanvisa start (PID ${owner}): stop that one, ` +
          'or give this copy its own with --data DIR',
      );
    rmSync(lock, { force: true });
  }
}
