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

/**
 * Resolves when the context's signal aborts, or on the first SIGINT/SIGTERM, or when `also` aborts (a
 * command's own way out, such as a key); the listeners go either way.
 */
export function stopped(ctx: CommandContext, also?: AbortSignal): Promise<void> {
  const signals = [ctx.signal, also].filter((s): s is AbortSignal => s !== undefined);
  if (signals.some((s) => s.aborted)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      for (const s of signals) s.removeEventListener('abort', done);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    for (const s of signals) s.addEventListener('abort', done, { once: true });
    if (ctx.signal) return;
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
