// The `hanvisa` commands by name: bin/main.ts dispatches to them, and the docs test runs the
// docs' command lines through them. Each command loads only its own modules: a desk agent on a
// Raspberry Pi should not carry the board, the broker and the auth code in its memory.
import type { CommandContext } from '../cli/context.js';

export const COMMANDS: Record<
  string,
  { run: (argv: string[], ctx?: CommandContext) => Promise<unknown>; about: string }
> = {
  start: {
    run: async (argv, ctx) => (await import('../demo/command.js')).startCommand(argv, ctx),
    about: 'broker + board + simulator + virtual desks + staff page, all in one (npm start)',
  },
  broker: {
    run: async (argv, ctx) => (await import('../switchboard/broker/command.js')).brokerCommand(argv, ctx),
    about: 'the embedded MQTT broker alone',
  },
  board: {
    run: async (argv, ctx) => (await import('../switchboard/board/command.js')).boardCommand(argv, ctx),
    about: "the operators' presence board against a broker",
  },
  agent: {
    run: async (argv, ctx) => (await import('../agent/command.js')).agentCommand(argv, ctx),
    about: 'one desk agent from a config file',
  },
  simulate: {
    run: async (argv, ctx) =>
      (await import('../switchboard/simulator/command.js')).simulateCommand(argv, ctx),
    about: 'the simulated switchboard (directory, queues, voicemail, calls to people)',
  },
  phone: {
    run: async (argv, ctx) => (await import('../switchboard/phone/command.js')).phoneCommand(argv, ctx),
    about:
      'the phone bridge: a SIP PBX or webhook integration per organisation (queues, voicemail, referrals)',
  },
  record: {
    run: async (argv, ctx) => (await import('../switchboard/recorder/command.js')).recordCommand(argv, ctx),
    about: 'the recorder: the stream into an event log and figures (SQLite or PostgreSQL)',
  },
  org: {
    run: async (argv, ctx) => (await import('../switchboard/org/command.js')).orgCommand(argv, ctx),
    about: "publish the organisation's settings (directory/org) from a file and stay their authority",
  },
  calendar: {
    run: async (argv, ctx) => (await import('../switchboard/calendar/command.js')).calendarCommand(argv, ctx),
    about: "refer people's phones from their calendars (ICS links, files, CalDAV)",
  },
  notify: {
    run: async (argv, ctx) => (await import('../switchboard/notify/command.js')).notifyCommand(argv, ctx),
    about: 'phone messages to their person by e-mail and SMS, with a one-click "handled" link',
  },
  import: {
    run: async (argv, ctx) =>
      (await import('../switchboard/directory/import-command.js')).importCommand(argv, ctx),
    about: 'import the directory (people, departments) from CSV files into the broker',
  },
  devices: {
    run: async (argv, ctx) =>
      (await import('../switchboard/provisioning/devices-command.js')).devicesCommand(argv, ctx),
    about: "IT's desks: list, assign configs, identify/restart/inventory, CSV import, broker ACL",
  },
  users: {
    run: async (argv, ctx) => (await import('../switchboard/auth/users-command.js')).usersCommand(argv, ctx),
    about: "manage the board's users file (operators, viewers, IT)",
  },
};
