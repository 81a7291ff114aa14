// The embedded broker for `npm start` and small sites: aedes 1.x (MQTT 3.1.1) on a plain TCP server.
// Larger installations point everything at Mosquitto or a clustered broker instead; nothing here is
// needed by the rest of the system beyond an mqtt:// URL.
import { createServer, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { createLogger } from '../../log/logger.js';

export interface EmbeddedBrokerOptions {
  /** TCP port; 0 picks a free one. Default 1883. */
  port?: number;
  /** Default 127.0.0.1: expose it deliberately (`0.0.0.0`) when desks run on other machines. */
  host?: string;
}

export interface EmbeddedBroker {
  url: string;
  port: number;
  close(): Promise<void>;
}

const log = createLogger('broker');

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  // drainTimeout: a frozen subscriber (a board tab's host asleep) must not stall delivery to everyone.
  const aedes = await Aedes.createBroker({ drainTimeout: 30_000 });
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    // Key presses are tiny packets: Nagle would hold them back up to 40 ms behind a delayed ACK.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  aedes.on('clientError', (client, error) =>
    log.debug('client error', { client: client.id, error: error.message }),
  );
  aedes.on('connectionError', (client, error) =>
    log.debug('connection error', { client: client.id, error: error.message }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 1883, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  log.info('embedded broker listening', { host, port });

  let closing: Promise<void> | undefined;
  return {
    url: `mqtt://${urlHost}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
