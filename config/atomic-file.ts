// A small state file a service keeps across restarts (the desk's journal, the board's own writes, the
// webhook's seen events), replaced atomically and durably: temp file, fsync, rename, fsync of the
// folder. A restart or power cut finds either the old or the new file, never half of one.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with `text`. Synchronous on purpose: these files are small, and what they record
 * must be on disk before the caller acts on it (publishes, answers), in the order it happened.
 */
export function writeFileAtomically(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  // The rename itself is only durable once the folder is synced.
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
