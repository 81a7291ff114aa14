// The options every switchboard command that connects to a broker takes: --broker, --org, --settle-ms,
// the TLS files, and the login (--username with its password in a file, never on the command line).
import { UsageError } from '../cli/usage-error.js';
import { ConfigFileError } from '../config/json-file.js';
import { readSecretFile } from '../config/secret-file.js';
import { readTlsFiles } from '../config/tls-files.js';
import { type BrokerLogin, brokerUrls, type TlsSettings } from '../mqtt/client.js';
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

/**
 * `--ca`, `--cert`, `--key`, `--servername` read into TLS settings: a file that cannot be read is a
 * ConfigFileError naming it, a --cert without --key a usage error.
 */
export function tlsOption(values: Record<string, unknown>): TlsSettings | undefined {
  try {
    return readTlsFiles({
      ca: values.ca as string | undefined,
      cert: values.cert as string | undefined,
      key: values.key as string | undefined,
      servername: values.servername as string | undefined,
    });
  } catch (e) {
    if (e instanceof ConfigFileError) throw e;
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

/** LOGIN_FLAGS' usage lines, the same in every command's --help. */
export const LOGIN_USAGE = `  --broker         MQTT broker URL (default ${DEFAULT_BROKER})
  --username       the broker login (docs/deploy.md names each service's); default anonymous
  --password-file  a file holding that login's password on one line (a systemd credential, say)
${TLS_USAGE}`;

/** IT's one-shot commands (import, devices) also take the password on stdin, typed or piped. */
export const ONE_SHOT_LOGIN_FLAGS = { ...LOGIN_FLAGS, 'password-stdin': { type: 'boolean' } } as const;
export const ONE_SHOT_LOGIN_USAGE = `${LOGIN_USAGE}  --password-stdin the password is the first line of stdin instead
`;

/**
 * `--username`, `--password-file` (or, for a one-shot command, `--password-stdin` with the line it
 * read) and the TLS files as the broker login. The password never comes from the command line, which
 * every user of the host can read in `ps`.
 */
export function loginOption(
  values: Record<string, unknown>,
  stdinPassword?: string,
): BrokerLogin | undefined {
  const tls = tlsOption(values);
  const username = values.username as string | undefined;
  const passwordFile = values['password-file'] as string | undefined;
  const fromStdin = values['password-stdin'] === true;
  if (passwordFile !== undefined && fromStdin)
    throw new UsageError('--password-file and --password-stdin: give the password one way');
  if (username === undefined) {
    if (passwordFile !== undefined || fromStdin)
      throw new UsageError(`--password-${fromStdin ? 'stdin' : 'file'} needs --username`);
    return tls ? { tls } : undefined;
  }
  if (username === '') throw new UsageError('--username must not be empty');
  const password =
    passwordFile !== undefined
      ? readSecretFile(passwordFile, '--password-file')
      : fromStdin
        ? stdinPassword
        : undefined;
  return { username, ...(password !== undefined ? { password } : {}), ...(tls ? { tls } : {}) };
}
