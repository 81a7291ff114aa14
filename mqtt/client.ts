// The one place hanvisa builds mqtt.js clients: MQTT 3.1.1, clean session, TCP no-delay on every
// socket (mqtt.js has no option for it, so our stream builder sets it), optional will, and TLS that
// verifies the broker against a CA file (or the system's CAs) and its host name. The broker URL may
// list a cluster's nodes, comma-separated: each connection try goes to the next node in the list.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { connect as netConnect } from 'node:net';
import type { PeerCertificate } from 'node:tls';
import mqtt, { type IClientOptions, MqttClient } from 'mqtt';

/** TLS settings for an `mqtts://` broker; all optional: without a CA the system's CAs are trusted. */
export interface TlsSettings {
  /** PEM CA certificate(s) the broker's certificate must chain to */
  ca?: Buffer | undefined;
  /** PEM client certificate and key, for brokers that ask for one */
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  /** the name the certificate must carry, when it differs from the URL's host */
  servername?: string | undefined;
}

/** A login at the broker: what every service and command connects with. */
export interface BrokerLogin {
  username?: string | undefined;
  password?: string | undefined;
  tls?: TlsSettings | undefined;
}

/**
 * How a lost connection is retried: the first try after `minMs`, each later one up to twice as late
 * (at most `maxMs`), every delay drawn at random from its upper half. The jitter matters at scale: a
 * national broker that restarts must not see 500,000 clients come back in the same second.
 */
export interface Backoff {
  minMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { minMs: 1000, maxMs: 15_000 };

/** The delay before reconnect try `attempt` (0 = the first after a loss); `random` in [0, 1). */
export function backoffDelay(backoff: Backoff, attempt: number, random: number = Math.random()): number {
  const upper = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.min(attempt, 30));
  return Math.round(upper / 2 + (random * upper) / 2);
}

export interface ClientSetup extends BrokerLogin {
  /** one broker URL, or a cluster's nodes comma-separated (`mqtt://a:1883,mqtt://b:1883`), see brokerUrls */
  url: string;
  clientId: string;
  /** 0: no reconnects (one-shot commands); a number: a fixed period; a Backoff: jittered and growing */
  reconnectMs: number | Backoff;
  connectTimeoutMs?: number;
  keepaliveSeconds?: number;
  /** false when the caller subscribes on every connect itself */
  resubscribe?: boolean;
  will?: IClientOptions['will'];
}

/** A client id no other connection has: a second client with the same id makes the broker drop the first. */
export function uniqueClientId(name: string): string {
  return `hanvisa-${name}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * node:tls (and the crypto it pulls in) costs a desk ~2.5 MB of RSS it never uses on a plain `mqtt://`
 * broker, so it is loaded on the first TLS connection only.
 */
const tlsModule = (): typeof import('node:tls') => createRequire(import.meta.url)('node:tls');

/**
 * mqtt.js logs each packet through `debug`; even switched off that costs ~0.4 µs a message in a
 * retained burst, so it is wired only when DEBUG asks for logs.
 */
const quiet = process.env.DEBUG ? {} : { log: () => {} };

export function createClient(setup: ClientSetup): MqttClient {
  const options: IClientOptions = {
    protocolVersion: 4,
    clean: true,
    clientId: setup.clientId,
    reconnectPeriod:
      typeof setup.reconnectMs === 'number' ? setup.reconnectMs : backoffDelay(setup.reconnectMs, 0),
    connectTimeout: setup.connectTimeoutMs ?? 30_000,
    resubscribe: setup.resubscribe ?? true,
    timerVariant: 'native',
    ...(setup.keepaliveSeconds !== undefined ? { keepalive: setup.keepaliveSeconds } : {}),
    ...(setup.will ? { will: setup.will } : {}),
    ...(setup.username ? { username: setup.username } : {}),
    ...(setup.password !== undefined ? { password: setup.password } : {}),
    ...quiet,
  };
  const client = build(setup, options);
  if (typeof setup.reconnectMs !== 'number') backOff(client, setup.reconnectMs);
  return client;
}

/**
 * The URLs in a broker setting: one, or a cluster's nodes separated by commas (spaces around them are
 * allowed). Several must all be plain TCP (mqtt://, mqtts://); a WebSocket broker is one URL. Throws
 * naming the part that is wrong.
 */
export function brokerUrls(setting: string): URL[] {
  const parts = setting.split(',').map((part) => part.trim());
  const urls = parts.map((part) => {
    if (!/^(mqtts?|wss?|tcp):\/\/[^/\s]+/.test(part))
      throw new Error(`${JSON.stringify(part)} is not a broker URL like mqtt://127.0.0.1:1883`);
    return new URL(part);
  });
  if (urls.length > 1 && urls.some((u) => u.protocol === 'ws:' || u.protocol === 'wss:'))
    throw new Error('several broker URLs must all be mqtt:// or mqtts:// (a WebSocket broker is one URL)');
  return urls;
}

function build(setup: ClientSetup, options: IClientOptions): MqttClient {
  const urls = brokerUrls(setup.url);
  const first = urls[0] as URL;
  // WebSocket brokers go through mqtt.js's own transports (no TCP socket of ours to tune)
  if (first.protocol === 'ws:' || first.protocol === 'wss:')
    return mqtt.connect(first.href, { ...options, ...tlsFields(setup.tls) });
  const tls = setup.tls ?? {};
  const nodes = urls.map((url) => {
    const secure = url.protocol === 'mqtts:';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return { secure, host, port: Number(url.port) || (secure ? 8883 : 1883) };
  });
  // mqtt.js's own `servers` rotation (connect/index.js) lives in the wrapper that mqtt.connect builds,
  // which a client of ours with its own stream builder skips: each try (the first included) takes the
  // next node, so a client whose node died tries another one first.
  let tries = 0;
  const streamBuilder = () => {
    const { secure, host, port } = nodes[tries++ % nodes.length] as (typeof nodes)[number];
    const socket = secure
      ? tlsModule().connect({
          host,
          port,
          ...tlsFields(tls),
          // SNI carries names only, never addresses (Node warns); the check uses servername or host
          ...(tls.servername || !/^[\d.:]+$/.test(host) ? { servername: tls.servername ?? host } : {}),
          ...(tls.servername ? { checkServerIdentity: checkAs(tls.servername) } : {}),
        })
      : netConnect({ host, port });
    socket.setNoDelay(true);
    return socket;
  };
  return new MqttClient(streamBuilder, options);
}

/** mqtt.js's reconnect timer, which it keeps private: a setInterval at `options.reconnectPeriod`. */
interface ReconnectTimer {
  _clearReconnect?: () => void;
  _setupReconnect?: () => void;
}

/**
 * mqtt.js retries at one fixed period on a setInterval. Each try (its 'reconnect' event) re-arms that
 * timer with the next jittered delay, through the two private methods that own it (mqtt 5.x; a test in
 * mqtt/client.test.ts fails if they go away). A connection that succeeds starts the count again.
 */
function backOff(client: MqttClient, backoff: Backoff): void {
  let attempt = 0;
  const timer = client as unknown as ReconnectTimer;
  client.on('connect', () => {
    attempt = 0;
    client.options.reconnectPeriod = backoffDelay(backoff, attempt);
  });
  client.on('reconnect', () => {
    attempt++;
    client.options.reconnectPeriod = backoffDelay(backoff, attempt);
    timer._clearReconnect?.();
    timer._setupReconnect?.();
  });
}

function tlsFields(tls: TlsSettings | undefined) {
  return {
    rejectUnauthorized: true,
    ...(tls?.ca ? { ca: tls.ca } : {}),
    ...(tls?.cert ? { cert: tls.cert } : {}),
    ...(tls?.key ? { key: tls.key } : {}),
  };
}

/** With an explicit servername, the certificate is checked against it, not against the URL's address. */
function checkAs(servername: string) {
  return (_host: string, cert: PeerCertificate) => tlsModule().checkServerIdentity(servername, cert);
}

/** Connects once; rejects with the cause (see connectionCause) instead of retrying. */
export function connectOnce(setup: Omit<ClientSetup, 'reconnectMs'>): Promise<MqttClient> {
  const client = createClient({ ...setup, reconnectMs: 0 });
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      client.off('connect', ok);
      client.end(true);
      reject(new Error(connectionCause(error)));
    };
    const ok = () => {
      client.off('error', fail);
      client.off('close', closed);
      // from here a lost connection shows as 'close' (the caller watches it); a socket error such as
      // ECONNRESET on a write must not go unhandled and crash the command first
      client.on('error', () => {});
      resolve(client);
    };
    const closed = () => fail(new Error('connection closed before the broker accepted it'));
    client.once('connect', ok);
    client.once('error', fail);
    client.once('close', closed);
  });
}

/** Node's TLS verification codes, said the way the person setting up the broker needs to hear them. */
const TLS_CAUSES: Record<string, string> = {
  CERT_HAS_EXPIRED: "the broker's TLS certificate has expired",
  CERT_NOT_YET_VALID: "the broker's TLS certificate is not valid yet (check the clocks)",
  ERR_TLS_CERT_ALTNAME_INVALID: "the broker's TLS certificate is for another host name",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the broker's TLS certificate is not signed by a trusted CA (--ca)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the broker's TLS certificate is not signed by a trusted CA (--ca)",
  SELF_SIGNED_CERT_IN_CHAIN: "the broker's TLS certificate is not signed by a trusted CA (--ca)",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the broker's TLS certificate is self-signed and not trusted (--ca)",
};

/** One line naming why a connection failed: a TLS verdict by cause, anything else by its message. */
export function connectionCause(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const cause = code ? TLS_CAUSES[code] : undefined;
  return cause ? `${cause} (${code})` : error.message;
}

/** True for the refusals that retrying cannot fix until someone changes a certificate or a CA file. */
export function isTlsRefusal(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code !== undefined && code in TLS_CAUSES;
}

interface WarnLog {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Logs why the broker connection failed, once per cause (a client retrying every second would repeat
 * it), and counts every failure; a successful connect resets the cause so the next failure is logged.
 */
export function reportConnectionErrors(client: MqttClient, log: WarnLog): { failures(): number } {
  let failures = 0;
  let last: string | undefined;
  client.on('error', (error) => {
    failures++;
    const cause = connectionCause(error);
    if (cause === last) return;
    last = cause;
    log.warn('broker connection error', { error: cause });
  });
  client.on('connect', () => {
    last = undefined;
  });
  return { failures: () => failures };
}
