#!/usr/bin/env node
// `hanvisa <command>`: one entry for every part. Each command module parses its own options.
import { UsageError } from '../cli/usage-error.js';
import { COMMANDS } from './commands.js';

const USAGE = `Usage: hanvisa <command> [options]    (hanvisa <command> --help for its options)

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.about}`)
  .join('\n')}`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`hanvisa: unknown command ${JSON.stringify(name)}\n\n${USAGE}`);
    return 2;
  }
  const result = await command.run(rest);
  return typeof result === 'number' ? result : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`hanvisa: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
