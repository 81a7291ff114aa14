// The options every switchboard command that connects to a broker takes: --broker, --org, --settle-ms,
// the TLS files, and the login (--username with its password in a file, never on the command line).
import { readFileSync } from 'node:fs';
import { UsageError } from '../cli/usage-error.js';
import { type BrokerLogin, brokerUrls, readTlsFiles, type TlsSettings } from '../mqtt/client.js';
import { SEGMENT_PATTERNS } from '../protocol/index.js';

export const DEFAULT_BROKER = 'mqtt://127.0.0.1:1883';
export const DEFAULT_SETTLE_MS = 300;

/** `--broker`: a URL mqtt.js can connect to, or a cluster's nodes comma-separated. */
export function brokerOption(value: string | undefined): string {
  const url = value ?? DEFAULT_BROKER;
  try {
    brokerUrls(url);
  } catch (e) {
    throw new UsageError(
      `--broker must be a URL like ${DEFAULT_BROKER} (or several, comma-separated): ${(e as Error).message}`,
    );
  }
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

/** The flags of a service that logs in to the broker: where, as whom, and over which TLS. */
export const LOGIN_FLAGS = {
  broker: { type: 'string' },
  username: { type: 'string' },
  'password-file': { type: 'string' },
  ...TLS_FLAGS,
} as const;

/**
 * `--username`, `--password-file` and the TLS files as the service's broker login. The password comes
 * from a file, never the command line (which every user of the host can read in `ps`); one trailing
 * newline is dropped, as editors and `echo` add one.
 */
export function loginOption(values: Record<string, unknown>): BrokerLogin | undefined {
  const tls = tlsOption(values);
  const username = values.username as string | undefined;
  const passwordFile = values['password-file'] as string | undefined;
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
