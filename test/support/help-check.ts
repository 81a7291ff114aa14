// Checks a `hanvisa <command> ...` line without running it: `--help` goes after its arguments, so the
// command's strict parser checks every option (and subcommand) first and then prints its help instead
// of starting. What the command prints (stdout, stderr, console) is collected, not shown.
import { vi } from 'vitest';
import { COMMANDS } from '../../bin/commands.js';

export interface HelpCheck {
  /** the command's result: undefined or an exit code */
  result: unknown;
  output: string;
}

/** Runs `hanvisa <command> <args> --help`; a usage error rejects or comes back as exit code 2. */
export async function helpCheck(command: string, args: string[]): Promise<HelpCheck> {
  const run = COMMANDS[command]?.run;
  if (!run) throw new Error(`hanvisa has no command ${JSON.stringify(command)}`);
  const printed: string[] = [];
  const collect = (text: unknown) => {
    printed.push(String(text));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(collect),
    vi.spyOn(process.stderr, 'write').mockImplementation(collect),
    vi.spyOn(console, 'log').mockImplementation(collect),
    vi.spyOn(console, 'error').mockImplementation(collect),
  ];
  try {
    return { result: await run([...args, '--help']), output: printed.join('') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
