import type { Readable } from 'node:stream';

/**
 * What every command runs with, so tests can run it in-process; `process` is the real one. A
 * long-running command stops on `signal` (default SIGINT or SIGTERM) and reloads on `hangup`'s
 * SIGHUP (default the process's).
 */
export interface CommandContext {
  stdin: Readable & { isTTY?: boolean };
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  signal?: AbortSignal;
  hangup?: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
}

/** Prints one line on a command's stdout or stderr. */
export function printer(to: CommandContext['stdout']): (line: string) => void {
  return (line) => {
    to.write(`${line}\n`);
  };
}

/** Resolves when the context's signal aborts, or on the first SIGINT/SIGTERM. */
export function stopped(ctx: CommandContext): Promise<void> {
  if (ctx.signal) {
    const signal = ctx.signal;
    return signal.aborted
      ? Promise.resolve()
      : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/**
 * Runs until stopped (see `stopped`), calling `reload` on each SIGHUP meanwhile, then `close`: the
 * loop every long-running command shares.
 */
export async function runUntilStopped(
  ctx: CommandContext,
  close: () => Promise<void>,
  reload?: () => void,
): Promise<void> {
  const hangup = ctx.hangup ?? process;
  if (reload) hangup.on('SIGHUP', reload);
  try {
    await stopped(ctx);
  } finally {
    if (reload) hangup.off('SIGHUP', reload);
    await close();
  }
}
