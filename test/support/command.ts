// Runs commands in-process with a CommandContext of the test's own: a one-shot command (hanvisa import,
// hanvisa devices) with what it printed collected, or a long-running one with its lines handed over.
import { Readable } from 'node:stream';
import type { CommandContext } from '../../cli/context.js';

export async function runCommand(
  command: (argv: string[], ctx: CommandContext) => Promise<number>,
  args: string[],
  stdin = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(args, {
    stdin: Readable.from([stdin]),
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/**
 * A context whose printed lines go to `out` and `err` (each write, its newline dropped), stopped by
 * `signal` and reloaded by `hangup`'s SIGHUP, with nothing on stdin.
 */
export function linesContext(options: {
  out?: (line: string) => void;
  err?: (line: string) => void;
  signal?: AbortSignal;
  hangup?: CommandContext['hangup'];
}): CommandContext {
  const to = (take?: (line: string) => void) => ({
    write: (text: string) => take?.(text.replace(/\n$/, '')),
  });
  return {
    stdin: Readable.from([]),
    stdout: to(options.out),
    stderr: to(options.err),
    signal: options.signal,
    hangup: options.hangup,
  };
}
