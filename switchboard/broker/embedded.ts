// The embedded broker for `npm start` and small sites: aedes 1.x (MQTT 3.1.1) on a plain TCP server.
// Larger installations point everything at Mosquitto or a clustered broker instead; nothing here is
// needed by the rest of the system beyond an mqtt:// URL. With accounts it enforces what the
// production Mosquitto does (docs/protocol.md, "Security"): logins, and the ACL rule table that
// deploy/mosquitto/acl is rendered from (protocol/acl.ts). Without, it is a loopback-only demo.
import { createServer, isIP, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { Aedes, type Client } from 'aedes';
import { createLogger } from '../../log/logger.js';
import {
  type AclInput,
  aclAccounts,
  allows,
  type Grant,
  MAX_PAYLOAD_BYTES,
  mayEverRead,
} from '../../protocol/index.js';
import { PacketLimit, PacketTooLarge } from './packet-limit.js';
import type { PasswordCheck } from './passwords.js';
import { RetainedFile } from './retained-file.js';

export interface BrokerAccounts {
  /** username + password → admitted (parsePasswordFile) */
  check: PasswordCheck;
  /** who may do what: the same input `hanvisa devices acl` renders for Mosquitto */
  acl: AclInput;
}

export interface EmbeddedBrokerOptions {
  /** TCP port; 0 picks a free one. Default 1883. */
  port?: number;
  /** Default 127.0.0.1: expose it deliberately (`0.0.0.0`) when desks run on other machines, with accounts. */
  host?: string;
  /** logins and ACL; without them anyone on loopback may do anything (the demo), and only loopback is allowed */
  accounts?: BrokerAccounts;
  /** keeps the retained messages in this file across restarts (the demo's data directory); without, they
   * live as long as the process */
  stateFile?: string;
}

export interface EmbeddedBroker {
  url: string;
  port: number;
  /** what the broker refused: logins, publishes (size, ACL), subscriptions, deliveries */
  readonly refused: { login: number; size: number; publish: number; subscribe: number };
  /**
   * New logins and rules (SIGHUP, after `hanvisa devices` changed the devices file): the rules apply at
   * once to connected clients too, the passwords at their next login. Only for a broker started with accounts.
   */
  reload(accounts: BrokerAccounts): void;
  /** whether the broker holds a retained message on `topic` (a filter matches any) */
  hasRetained(topic: string): Promise<boolean>;
  close(): Promise<void>;
}

const log = createLogger('broker');

/** A packet's remaining length: the payload cap plus room for topic and headers (Mosquitto's max_packet_size 68000). */
export const MAX_PACKET_BYTES = 68_000;

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

export class BrokerExposedError extends Error {}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  if (!options.accounts && !isLoopback(host))
    throw new BrokerExposedError(
      `an embedded broker on ${host} needs logins (--passwd and --devices): anyone who reaches it could ` +
        "set any desk's state; anonymous access is only for a demo on loopback",
    );
  // drainTimeout: a frozen subscriber (a board tab's host asleep) must not stall delivery to everyone.
  const aedes = await Aedes.createBroker({ drainTimeout: 30_000 });
  const refused = { login: 0, size: 0, publish: 0, subscribe: 0 };
  const tableOf = (a: BrokerAccounts) => new Map(aclAccounts(a.acl).map((x) => [x.username, x.grants]));
  let accounts = options.accounts;
  let table = accounts && tableOf(accounts);
  const usernameOf = new WeakMap<Client, string>();
  /** what a logged-in client may do, by the rules in force now */
  const grantsOf = (client: Client): readonly Grant[] => table?.get(usernameOf.get(client) ?? '') ?? [];

  if (accounts && table) {
    aedes.preConnect = (_client, packet, done) => {
      // Mosquitto's use_username_as_clientid: nobody takes over another desk's session (and its will).
      if (packet.username) packet.clientId = packet.username;
      done(null, true);
    };
    aedes.authenticate = (client, username, password, done) => {
      if (username !== undefined && accounts?.check(username, password)) {
        usernameOf.set(client, username);
        return done(null, true);
      }
      refused.login++;
      log.warn('login refused', { username: username ?? '(anonymous)' });
      done(Object.assign(new Error('bad username or password'), { returnCode: 4 }), false);
    };
    aedes.authorizeSubscribe = (client, sub, done) => {
      if (mayEverRead(grantsOf(client), sub.topic)) return done(null, sub);
      refused.subscribe++;
      // Mosquitto grants and filters each delivery; negating (0x80) says so at once. Either way, nothing arrives.
      done(null, null);
    };
    aedes.authorizeForward = (client, packet) =>
      allows(grantsOf(client), 'read', packet.topic) ? packet : undefined;
  }
  aedes.authorizePublish = (client, packet, done) => {
    if (packet.topic.startsWith('$SYS/')) return done(new Error('$SYS/ topic is reserved'));
    // The contract's cap (docs/protocol.md, Limits): a larger payload is never stored or forwarded.
    if (packet.payload.length > MAX_PAYLOAD_BYTES) {
      refused.size++;
      log.warn('publish refused: payload too large', { topic: packet.topic, bytes: packet.payload.length });
      return done(new Error(`payload of ${packet.payload.length} bytes exceeds ${MAX_PAYLOAD_BYTES}`));
    }
    // A will is checked here too, with its client; without one (a will from a past run) nobody can vouch for it.
    if (table && !(client && allows(grantsOf(client), 'write', packet.topic))) {
      refused.publish++;
      log.warn('publish refused by the ACL', { client: client?.id ?? null, topic: packet.topic });
      // MQTT 3.1.1 has no refusal code: the error closes the connection (MQTT-3.3.5-2 allows that; Mosquitto
      // acknowledges and drops instead). Either way nothing is stored or forwarded.
      return done(new Error('not authorized'));
    }
    done(null);
  };
  // What a previous run retained is back before anyone connects; from then on each retained change is kept.
  const state = options.stateFile ? new RetainedFile(options.stateFile, log) : undefined;
  for (const m of state?.load() ?? []) {
    await new Promise<void>((resolve, reject) =>
      aedes.publish(
        { cmd: 'publish', topic: m.topic, payload: m.payload, qos: m.qos, retain: true, dup: false },
        (e) => (e ? reject(e) : resolve()),
      ),
    );
  }
  if (state) {
    aedes.on('publish', (packet) => {
      if (packet.retain && !packet.topic.startsWith('$SYS/'))
        state.note({ topic: packet.topic, payload: Buffer.from(packet.payload), qos: packet.qos });
    });
  }
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    // Key presses are tiny packets: Nagle would hold them back up to 40 ms behind a delayed ACK.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const limit = new PacketLimit(MAX_PACKET_BYTES);
    limit.on('error', (error) => {
      if (!(error instanceof PacketTooLarge)) return; // the connection closing for another reason
      refused.size++;
      log.warn('connection closed: packet too large', { error: error.message });
      socket.destroy();
    });
    aedes.handle(Duplex.from({ readable: socket.pipe(limit), writable: socket }));
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
  log.info('embedded broker listening', {
    host,
    port,
    logins: accounts ? 'required' : 'anonymous (loopback demo)',
  });

  let closing: Promise<void> | undefined;
  return {
    url: `mqtt://${urlHost}:${port}`,
    port,
    refused,
    reload(next) {
      if (!table) throw new Error('this broker was started without accounts: restart it with them');
      table = tableOf(next); // throws on a bad name before anything changes
      accounts = next;
      log.info('accounts reloaded', { accounts: table.size });
    },
    async hasRetained(topic) {
      // aedes's typings leave out its persistence, which holds the retained messages
      const { persistence } = aedes as unknown as {
        persistence: { createRetainedStream(pattern: string): AsyncIterable<unknown> };
      };
      for await (const _ of persistence.createRetainedStream(topic)) return true;
      return false;
    },
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        await state?.flush();
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
