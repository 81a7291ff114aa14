// Runs a command that writes through a CommandIo (hanvisa import, hanvisa devices) and collects what it
// printed, so tests assert on its exit code and output.
import { Readable } from 'node:stream';
import type { CommandIo } from '../../cli/command-io.js';

export async function runCommand(
  command: (argv: string[], io: CommandIo) => Promise<number>,
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
