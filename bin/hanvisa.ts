#!/usr/bin/env node
// `hanvisa <command>`: one entry for every part. Each command module parses its own options.
import { UsageError } from '../switchboard/usage-error.js';

// Each command loads only its own modules: a desk agent on a Raspberry Pi should not carry the
// board, the broker and the auth code in its memory.
const COMMANDS: Record<string, { run: (argv: string[]) => Promise<unknown>; about: string }> = {
  start: {
    run: async (argv) => (await import('./start.js')).startCommand(argv),
    about: 'broker + board + simulator + virtual desks, all in one (npm start)',
  },
  broker: {
    run: async (argv) => (await import('../switchboard/cli.js')).brokerCommand(argv),
    about: 'the embedded MQTT broker alone',
  },
  board: {
    run: async (argv) => (await import('../switchboard/cli.js')).boardCommand(argv),
    about: "the operators' presence board against a broker",
  },
  agent: {
    run: async (argv) => (await import('../agent/cli.js')).agentCommand(argv),
    about: 'one desk agent from a config file',
  },
  simulate: {
    run: async (argv) => (await import('../switchboard/cli.js')).simulateCommand(argv),
    about: 'the simulated switchboard (directory, queues, voicemail)',
  },
  import: {
    run: async (argv) => (await import('../switchboard/directory/import-command.js')).importCommand(argv),
    about: 'import the directory (people, departments) from CSV files into the broker',
  },
  devices: {
    run: async (argv) =>
      (await import('../switchboard/provisioning/devices-command.js')).devicesCommand(argv),
    about: "IT's desks: list, assign configs, identify/restart/inventory, CSV import, broker ACL",
  },
  users: {
    run: async (argv) => (await import('../switchboard/auth/users-command.js')).usersCommand(argv),
    about: "manage the board's users file (operators, viewers, IT)",
  },
};

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
