// A one-shot broker session for IT's commands (`hanvisa import`, `hanvisa devices`): connect once
// without reconnects, read what the broker retains, and fail instead of hanging when the link drops.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { MqttClient } from 'mqtt';
import type { CommandIo } from '../cli/command-io.js';
import { UsageError } from '../cli/usage-error.js';
import {
  type BrokerLogin,
  connectOnce as connectClientOnce,
  readTlsFiles,
  type TlsSettings,
  uniqueClientId,
} from '../mqtt/client.js';
import { matchesFilter, SEGMENT_PATTERNS } from '../protocol/index.js';

export const DEFAULT_BROKER = 'mqtt://127.0.0.1:1883';
export const DEFAULT_SETTLE_MS = 300;

/** `--broker`: a URL mqtt.js can connect to. */
export function brokerOption(value: string | undefined): string {
  const url = value ?? DEFAULT_BROKER;
  if (!/^(mqtts?|wss?|tcp):\/\/[^/\s]+/.test(url))
    throw new UsageError(`--broker must be a URL like ${DEFAULT_BROKER}, got ${JSON.stringify(url)}`);
  return url;
}

/** `--org`: the organisation's topic segment. */
export function orgOption(value: string | undefined): string {
  if (!value) throw new UsageError("--org ORG is required: the organisation's topic segment, e.g. grastorp");
  if (!SEGMENT_PATTERNS.org.test(value))
    throw new UsageError(
      `--org ${JSON.stringify(value ?? '')}: lower-case letters, digits and -, at most 32`,
    );
  return value;
}

/** `--settle-ms`: how long the broker must stay quiet before its retained values count as read. */
export function settleOption(value: string | undefined): number {
  const text = value ?? String(DEFAULT_SETTLE_MS);
  if (!/^\d{1,6}$/.test(text)) throw new UsageError('--settle-ms must be a number of milliseconds');
  return Number(text);
}

/** The TLS flags every command that connects takes (parseArgs options), and their usage lines. */
export const TLS_FLAGS = {
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  servername: { type: 'string' },
} as const;
export const TLS_USAGE = `  --ca             PEM CA file the mqtts:// broker's certificate must chain to (default: system CAs)
  --cert, --key    PEM client certificate and key, for a broker that asks for one
  --servername     the name the broker's certificate carries, when not the URL's host
`;

/** `--ca`, `--cert`, `--key`, `--servername` read into TLS settings; a file that cannot be read is a usage error. */
export function tlsOption(values: Record<string, unknown>): TlsSettings | undefined {
  try {
    return readTlsFiles({
      ca: values.ca as string | undefined,
      cert: values.cert as string | undefined,
      key: values.key as string | undefined,
      servername: values.servername as string | undefined,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * The board's broker login. The password comes from a file, never the command line (which every user
 * of the host can read in `ps`); one trailing newline is dropped, as editors and `echo` add one.
 */
export function brokerCredentials(
  username: string | undefined,
  passwordFile: string | undefined,
  tls?: TlsSettings,
): BrokerLogin | undefined {
  if (username === undefined) {
    if (passwordFile !== undefined) throw new UsageError('--password-file needs --username');
    return tls ? { tls } : undefined;
  }
  if (username === '') throw new UsageError('--username must not be empty');
  if (passwordFile === undefined) return { username, ...(tls ? { tls } : {}) };
  return { username, password: secretFromFile('--password-file', passwordFile), ...(tls ? { tls } : {}) };
}

/** A secret kept on one line of a file (a systemd credential, say); a UsageError names the flag. */
export function secretFromFile(flag: string, file: string): string {
  let secret: string;
  try {
    secret = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new UsageError(`${flag} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (secret === '' || /[\r\n]/.test(secret))
    throw new UsageError(`${flag} ${file}: must hold the secret on one line`);
  return secret;
}

/** Connects with a clean session and no reconnects: a command that lost its broker fails. */
function connectOnce(url: string, name: string, login: BrokerLogin): Promise<MqttClient> {
  return connectClientOnce({
    url,
    connectTimeoutMs: 10_000,
    clientId: uniqueClientId(name),
    ...login,
  });
}

/**
 * Runs a one-shot command's body: a UsageError prints its message and the usage (exit 2), any other
 * error, such as the broker refusing or going away halfway, its message (exit 1). The connections the
 * body opened with `connect` are closed either way.
 */
export async function oneShot(
  command: string,
  usage: string,
  io: CommandIo,
  body: (connect: (url: string, login: BrokerLogin) => Promise<MqttClient>) => Promise<number>,
): Promise<number> {
  const opened: MqttClient[] = [];
  try {
    return await body(async (url, login) => {
      try {
        opened.push(await connectOnce(url, command, login));
      } catch (e) {
        throw new Error(`cannot connect to ${url}: ${(e as Error).message}`);
      }
      return opened.at(-1) as MqttClient;
    });
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`hanvisa ${command}: ${e.message}\n${usage}`);
      return 2;
    }
    io.stderr.write(`hanvisa ${command}: ${(e as Error).message}\n`);
    return 1;
  } finally {
    // force when the connection is gone: a graceful end would wait for acks that cannot come
    for (const client of opened) await client.endAsync(!client.connected);
  }
}

/** The first line of stdin: `--password-stdin` keeps the password off the command line (and `ps`). */
export async function firstLine(stdin: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** A UTF-8 text file (CSV, JSON) an IT person wrote; anything else is a usage error that says why. */
export async function readTextFile(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Excel's plain "CSV (semicolon separated)" is Windows-1252: å, ä, ö would arrive garbled.
    throw new UsageError(`${path} is not UTF-8: save it from Excel as "CSV UTF-8"`);
  }
}

/**
 * Hands every retained message under `filter` to `onMessage`. MQTT 3.1.1 has no "end of retained
 * messages" marker, so the broker counts as done once no message has arrived for `settleMs` after the
 * subscription.
 */
export async function readRetained(
  client: MqttClient,
  filter: string,
  settleMs: number,
  onMessage: (topic: string, payload: Buffer) => void,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let settle = () => {};
  const settled = new Promise<void>((resolve) => {
    settle = () => {
      clearTimeout(timer);
      timer = setTimeout(resolve, settleMs);
    };
  });
  const listener = (topic: string, payload: Buffer) => {
    if (!matchesFilter(filter, topic)) return;
    settle();
    onMessage(topic, payload);
  };
  client.on('message', listener);
  try {
    const read = async () => {
      await client.subscribeAsync(filter, { qos: 1 });
      settle();
      await settled;
      // The broker need not send our own publishes back.
      await client.unsubscribeAsync(filter);
    };
    await whileConnected(client, read(), `while reading ${filter}`);
  } finally {
    clearTimeout(timer);
    client.off('message', listener);
  }
}

/**
 * Without reconnects, mqtt.js keeps a subscribe or an unacknowledged publish waiting forever once the
 * connection drops: fail the command instead.
 */
export async function whileConnected<T>(client: MqttClient, work: Promise<T>, what: string): Promise<T> {
  let onClose = () => {};
  const lost = new Promise<never>((_, reject) => {
    onClose = () => reject(new Error(`the broker connection dropped ${what}`));
    client.once('close', onClose);
  });
  // once the race is lost, a late rejection of the abandoned work is expected, not unhandled
  work.catch(() => {});
  try {
    return await Promise.race([work, lost]);
  } finally {
    client.off('close', onClose);
  }
}
