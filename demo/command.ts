// `hanvisa start`: the whole site on one machine, for a first look or a small installation.
import { closeSync, openSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { type CommandContext, printer, stopped } from '../cli/context.js';
import { parse, type Spec } from '../cli/options.js';
import { UsageError } from '../cli/usage-error.js';
import { sendLogsTo } from '../log/logger.js';
import { isLoopback } from '../switchboard/broker/embedded.js';
import { claimDataDir, defaultDataDir } from './data-dir.js';
import { startSite } from './site.js';
import { DEMO_STAFF_PASSWORD } from './staff-users.js';

const START: Spec = {
  usage: `Usage: hanvisa start [--desks 4] [--host 127.0.0.1] [--broker-port 1883] [--board-port 8080] [--desks-port 8081]
                     [--staff-port 8082] [--data DIR] [--store FILE]

Runs the embedded MQTT broker, the operators' board, the recorder and its statistics page, a simulated
switchboard, a few desk agents with virtual panels, and the staff page (a second board with a staff login
for each desk's person, password "demo"). A port already in use is refused (0 picks a free one).
The site's state (the broker's people, settings, referrals and desk configs, the desks' journals, the
recorder's store) is kept in its data directory, so a restart continues where the last run stopped; the
log goes to hanvisa.log there.
  --desks        how many demo people get a virtual desk (1-10, default 4)
  --host         address to listen on (default 127.0.0.1; loopback only: the demo admits anyone)
  --broker-port, --board-port, --desks-port, --staff-port   the ports (default 1883, 8080, 8081, 8082)
  --data         the data directory (default $XDG_STATE_HOME/hanvisa/start-BROKERPORT, or
                 ~/.local/state/hanvisa/start-BROKERPORT: one per site)
  --store        the recorder's SQLite file (default record.db in the data directory)`,
  options: {
    desks: { type: 'string' },
    host: { type: 'string' },
    'broker-port': { type: 'string' },
    'board-port': { type: 'string' },
    'desks-port': { type: 'string' },
    'staff-port': { type: 'string' },
    data: { type: 'string' },
    store: { type: 'string' },
  },
};

/** Refuses a port in use, with what to do; 0 (any free port) always passes. */
function ensureFree(port: number, option: string, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `port ${port} on ${host} (--${option}) is ${e.code === 'EADDRINUSE' ? 'in use, perhaps by another hanvisa start' : `not available (${e.code ?? e.message})`}: ` +
            `stop what holds it, or choose another with --${option} PORT (0 picks a free one)`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function number(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`--${name} must be ${min}-${max}`);
  return n;
}

/** Every log line into `file` (appended), so the terminal keeps the banner alone; returns the undo. */
function logInto(file: string): () => void {
  const fd = openSync(file, 'a');
  const restore = sendLogsTo((line) => void writeSync(fd, line));
  return () => {
    restore();
    closeSync(fd);
  };
}

export async function startCommand(argv: string[], ctx: CommandContext = process): Promise<void> {
  const values = parse(START, argv, ctx);
  if (!values) return;
  const out = printer(ctx.stdout);
  const host = (values.host as string | undefined) ?? '127.0.0.1';
  // The demo's broker, board and desk pages admit anyone: only this machine may reach them.
  if (!isLoopback(host))
    throw new UsageError(
      `--host ${host}: hanvisa start is a demo with an open broker and board, for loopback only; ` +
        'for other machines run hanvisa broker --passwd ... and hanvisa board --users ...',
    );
  const ports = {
    brokerPort: number('broker-port', values['broker-port'] as string | undefined, 1883, 0, 65535),
    boardPort: number('board-port', values['board-port'] as string | undefined, 8080, 0, 65535),
    desksPort: number('desks-port', values['desks-port'] as string | undefined, 8081, 0, 65535),
    staffPort: number('staff-port', values['staff-port'] as string | undefined, 8082, 0, 65535),
  };
  const desks = number('desks', values.desks as string | undefined, 4, 1, 10);
  // Before anything starts: a second copy must not quietly run beside the first on other ports.
  await ensureFree(ports.brokerPort, 'broker-port', host);
  await ensureFree(ports.boardPort, 'board-port', host);
  await ensureFree(ports.desksPort, 'desks-port', host);
  await ensureFree(ports.staffPort, 'staff-port', host);
  const dataDir = resolve((values.data as string | undefined) ?? defaultDataDir(ports.brokerPort));
  const release = claimDataDir(dataDir);
  const logFile = join(dataDir, 'hanvisa.log');
  const restoreLogs = logInto(logFile);
  // listening before the start: a signal while the site starts stops it once it has
  const stop = stopped(ctx);
  try {
    const site = await startSite({
      host,
      desks,
      ...ports,
      dataDir,
      ...(values.store ? { storePath: values.store as string } : {}),
    });
    const logins = site.staffUsers.map(
      (u) => `${u.username} (${u.ext}${u.role === 'manager' ? ', manager' : ''})`,
    );
    out(`
hanvisa is running.
  Operators' board:  ${site.boardUrl}
  Virtual desks:     ${site.desksUrl}   (press a desk's keys, watch the board change)
  Statistics:        ${site.boardUrl}stats
  Staff page:        ${site.staffUrl}staff/   (log in as ${logins.join(', ')}; password ${DEMO_STAFF_PASSWORD})
  MQTT broker:       ${site.brokerUrl}
  Data:              ${dataDir}   (kept: the next start continues from it)
  Log:               ${logFile}
Press Ctrl-C to stop.
`);
    await stop;
    out('stopping …');
    await site.close();
  } finally {
    restoreLogs();
    release();
  }
}
