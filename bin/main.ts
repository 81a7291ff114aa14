// `hanvisa <command>`: one entry for every part. Each command module parses its own options; this
// picks the command, answers --help and --version, and turns what a command throws into one line on
// stderr and the exit code (2 for wrong usage, 1 for anything else).
import { type CommandContext, printer } from '../cli/context.js';
import { didYouMean } from '../cli/suggest.js';
import { UsageError } from '../cli/usage-error.js';
import { packageVersion } from '../config/package.js';
import { COMMANDS } from './commands.js';

const USAGE = `Usage: hanvisa <command> [options]    (hanvisa <command> --help for its options)
       hanvisa --version

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.about}`)
  .join('\n')}`;

/** Runs `hanvisa ...argv`; returns the exit code. */
export async function hanvisa(argv: string[], ctx: CommandContext = process): Promise<number> {
  const out = printer(ctx.stdout);
  const err = printer(ctx.stderr);
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    out(`hanvisa ${packageVersion()}`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    err(
      `hanvisa: unknown command ${JSON.stringify(name)}${didYouMean(name, Object.keys(COMMANDS))}\n\n${USAGE}`,
    );
    return 2;
  }
  try {
    const result = await command.run(rest, ctx);
    return typeof result === 'number' ? result : 0;
  } catch (error) {
    err(`hanvisa ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof UsageError ? 2 : 1;
  }
}
