// `hanvisa board`: the operators' board against a broker until stopped; SIGHUP re-reads the users file.
import { type CommandContext, printer, runUntilStopped } from '../../cli/context.js';
import { parse, portOption, type Spec } from '../../cli/options.js';
import { UsageError } from '../../cli/usage-error.js';
import { readSecretFile } from '../../config/secret-file.js';
import { createAuth, loadOidcConfig } from '../auth/index.js';
import {
  brokerOption,
  DEFAULT_BROKER,
  LOGIN_FLAGS,
  LOGIN_USAGE,
  loginOption,
  orgOption,
} from '../broker-options.js';
import { openStorage } from '../recorder/storage/open.js';
import { startBoard } from './server.js';

const BOARD: Spec = {
  usage: `Usage: hanvisa board [--broker ${DEFAULT_BROKER}] [--username NAME --password-file FILE]
                     [--port 8080] [--host 127.0.0.1] [--org ORG ...] [--users users.json] [--oidc oidc.json]
                     [--trust-proxy]
                    [--writes FILE] [--session-secret-file FILE] [--stats STORE [--stats-min-group 5]] [--mwi-copy]
                    [--notify-url URL --notify-secret-file FILE]

Runs the operators' presence board: a web page that follows the broker live. Its broker login is
board-ORG (deploy/mosquitto).
${LOGIN_USAGE}  --port           HTTP port (default 8080; 0 picks a free one)
  --host           address to listen on (default 127.0.0.1)
  --org            show only this organisation (repeatable; default all)
  --users          the users file (hanvisa users add ...): operators log in. Without it the board is
                   OPEN ACCESS, every visitor an operator: for a demo on one machine only
  --oidc           the municipality's own login (OpenID Connect: Entra ID, ADFS, Keycloak), with its
                   group-to-role mapping (docs/access.md); with --users too, those log in at /login?local=1
  --trust-proxy    behind a TLS proxy: believe its X-Forwarded-Proto and X-Forwarded-For
  --session-secret-file  a file holding the secret that signs login cookies (one line, 32+ bytes:
                   openssl rand -base64 32). Boards behind one address need the same one, so a login
                   on one is good on the other (docs/deploy.md). Without it: a random one per start
  --stats          the recorder's store (hanvisa record --store): the statistics page /stats and the
                   operators' audit trail. Without it the details say the trail is not kept
  --stats-min-group  private reasons (sick, vacation) show in the statistics only for a department or
                   organisation of at least this many people, never per person (default 5; docs/recorder.md)
  --writes         a file for the board's own writes (messages taken, referrals set on someone's behalf):
                   kept there before they are published and republished on every reconnect, so a
                   broker that lost its store gets them back (docs/board.md). Without it, only the broker keeps them
  --mwi-copy       keep each person's phone messages also in the single mwi/{ext} value, for desk agents
                   from before 0.1.0 that read only it; only once no 0.1.0 board runs (docs/protocol.md)
  --notify-url     the notifier's address as staff's browsers reach it (its publicUrl, hanvisa notify):
                   the staff page offers "Påminn mig" (Web Push) there (docs/staff.md). With
  --notify-secret-file  the notifier's link secret (its linkSecretFile): the board signs each person's
                   subscribe token with it`,
  options: {
    ...LOGIN_FLAGS,
    port: { type: 'string' },
    host: { type: 'string' },
    org: { type: 'string', multiple: true },
    users: { type: 'string' },
    oidc: { type: 'string' },
    'trust-proxy': { type: 'boolean' },
    'session-secret-file': { type: 'string' },
    stats: { type: 'string' },
    'stats-min-group': { type: 'string' },
    writes: { type: 'string' },
    'mwi-copy': { type: 'boolean' },
    'notify-url': { type: 'string' },
    'notify-secret-file': { type: 'string' },
  },
};

export async function boardCommand(argv: string[], ctx: CommandContext = process): Promise<void> {
  const values = parse(BOARD, argv, ctx);
  if (!values) return;
  const out = printer(ctx.stdout);
  const orgs = ((values.org as string[] | undefined) ?? []).map(orgOption);
  const usersFile = values.users as string | undefined;
  const oidcFile = values.oidc as string | undefined;
  const secretFile = values['session-secret-file'] as string | undefined;
  for (const flag of ['trust-proxy', 'session-secret-file'] as const)
    if (values[flag] && usersFile === undefined && oidcFile === undefined)
      throw new UsageError(`--${flag} needs --users or --oidc\n\n${BOARD.usage}`);
  // A broken users or OIDC file stops the start here, naming the entry and field.
  const auth = createAuth(
    usersFile === undefined && oidcFile === undefined
      ? { openAccess: true }
      : {
          ...(usersFile !== undefined ? { usersFile } : {}),
          ...(oidcFile !== undefined ? { oidc: loadOidcConfig(oidcFile) } : {}),
          ...(values['trust-proxy'] ? { trustProxy: true } : {}),
          ...(secretFile
            ? { sessions: { secret: readSecretFile(secretFile, '--session-secret-file') } }
            : {}),
        },
  );
  const credentials = loginOption(values);
  const minGroup = values['stats-min-group'] as string | undefined;
  if (minGroup !== undefined && (values.stats === undefined || !/^[1-9][0-9]{0,3}$/.test(minGroup)))
    throw new UsageError(`--stats-min-group: a number of people from 1, with --stats\n\n${BOARD.usage}`);
  const notify = notifyOption(
    values['notify-url'] as string | undefined,
    values['notify-secret-file'] as string | undefined,
  );
  const statsStore = values.stats === undefined ? undefined : await openStorage(values.stats as string);
  const board = await startBoard({
    auth,
    ...(statsStore
      ? { stats: { storage: statsStore, ...(minGroup ? { minGroupSize: Number(minGroup) } : {}) } }
      : {}),
    brokerUrl: brokerOption(values.broker as string | undefined),
    ...(credentials ? { brokerCredentials: credentials } : {}),
    port: portOption(values.port as string | undefined, 8080),
    ...(values.host ? { host: values.host as string } : {}),
    ...(orgs.length ? { orgs } : {}),
    ...(values.writes ? { storeFile: values.writes as string } : {}),
    ...(values['mwi-copy'] ? { mwiCopy: true } : {}),
    ...(notify ? { notify } : {}),
  });
  out(`board ${board.url}`);
  // SIGHUP (systemctl reload) re-reads the users file without logging everyone out; a file that does
  // not load is refused, printed, and the users as they were stay.
  const reload = () => {
    if (usersFile === undefined)
      return out(
        oidcFile === undefined
          ? 'open access: no users file to reload'
          : "no users file to reload: the provider's groups apply at each login",
      );
    try {
      const { users, endedSessions } = auth.reloadUsers();
      out(`users reloaded: ${users} users, ${endedSessions} sessions ended`);
    } catch (e) {
      printer(ctx.stderr)(`users file not reloaded, the users as they were stay: ${(e as Error).message}`);
    }
  };
  await runUntilStopped(
    ctx,
    async () => {
      await board.close();
      await statsStore?.close();
    },
    reload,
  );
}

/** --notify-url and --notify-secret-file: both or neither, an http(s) address and a secret as the notifier wants it. */
function notifyOption(url: string | undefined, secretFile: string | undefined) {
  if (url === undefined && secretFile === undefined) return undefined;
  if (url === undefined || secretFile === undefined)
    throw new UsageError(`--notify-url and --notify-secret-file go together\n\n${BOARD.usage}`);
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw new UsageError(
      `--notify-url: an http or https address, such as https://hanvisa.example.se/notify/\n\n${BOARD.usage}`,
    );
  const linkSecret = readSecretFile(secretFile, '--notify-secret-file');
  if (linkSecret.length < 32)
    throw new UsageError(
      `--notify-secret-file: the secret must be 32 characters or more, as the notifier's\n\n${BOARD.usage}`,
    );
  return { url, linkSecret };
}
