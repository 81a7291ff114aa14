// `hanvisa start`: the whole site on one machine, for a first look or a small installation.
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandContext, printer, stopped } from '../cli/context.js';
import { parse, type Spec } from '../cli/options.js';
import { UsageError } from '../cli/usage-error.js';
import { isLoopback } from '../switchboard/broker/embedded.js';
import { startSite } from './site.js';

const START: Spec = {
  usage: `Usage: hanvisa start [--desks 4] [--host 127.0.0.1] [--broker-port 1883] [--board-port 8080] [--desks-port 8081]
                     [--store FILE]

Runs the embedded MQTT broker, the operators' board, the recorder and its statistics page, a simulated
switchboard and a few desk agents with virtual panels. A port already in use is replaced by a free one
(the printed URLs say which).
  --desks        how many demo people get a virtual desk (1-10, default 4)
  --host         address to listen on (default 127.0.0.1; loopback only: the demo admits anyone)
  --broker-port, --board-port, --desks-port   preferred ports
  --store        the recorder's SQLite file (default hanvisa-demo-record.db in the temp dir)`,
  options: {
    desks: { type: 'string' },
    host: { type: 'string' },
    'broker-port': { type: 'string' },
    'board-port': { type: 'string' },
    'desks-port': { type: 'string' },
    store: { type: 'string' },
  },
};

/** The preferred port when it is free, else 0 (the OS picks one). */
function portOrFree(preferred: number, host: string): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(0));
    probe.listen(preferred, host, () => probe.close(() => resolve(preferred)));
  });
}

function number(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`--${name} must be ${min}-${max}`);
  return n;
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
  const preferred = (name: string, fallback: number) =>
    portOrFree(number(name, values[name] as string | undefined, fallback, 1, 65535), host);
  const site = await startSite({
    host,
    desks: number('desks', values.desks as string | undefined, 4, 1, 10),
    brokerPort: await preferred('broker-port', 1883),
    boardPort: await preferred('board-port', 8080),
    desksPort: await preferred('desks-port', 8081),
    storePath: (values.store as string | undefined) ?? join(tmpdir(), 'hanvisa-demo-record.db'),
  });
  out(`
hanvisa is running.
  Operators' board:  ${site.boardUrl}
  Virtual desks:     ${site.desksUrl}   (press a desk's keys, watch the board change)
  Statistics:        ${site.boardUrl}stats
  MQTT broker:       ${site.brokerUrl}
Press Ctrl-C to stop.
`);
  await stopped(ctx);
  out('stopping …');
  await site.close();
}
