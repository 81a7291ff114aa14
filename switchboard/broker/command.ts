// `hanvisa broker`: the embedded MQTT broker until stopped; SIGHUP re-reads its accounts.
import { type CommandContext, printer, runUntilStopped } from '../../cli/context.js';
import { parse, portOption, type Spec } from '../../cli/options.js';
import { UsageError } from '../../cli/usage-error.js';
import { ConfigFileError } from '../../config/json-file.js';
import { readTextFile } from '../../config/text-file.js';
import { orgOption } from '../broker-options.js';
import type { AclOptions } from '../provisioning/devices-command.js';
import { type BrokerAccounts, isLoopback, startEmbeddedBroker } from './embedded.js';
import { type PasswordCheck, parsePasswordFile } from './passwords.js';

const BROKER: Spec = {
  usage: `Usage: hanvisa broker [--port 1883] [--host 127.0.0.1]
                      [--passwd FILE --devices devices.csv [--org ORG] [--board-user [ORG=]USER ...]
                       [--switchboard-user [ORG=]USER ...] [--provisioning-user USER ...]
                       [--recorder-user [ORG=]USER ...]]

Runs the embedded MQTT 3.1.1 broker (aedes) for small sites and demos.
  --port      TCP port (default 1883; 0 picks a free one)
  --host      address to listen on (default 127.0.0.1). Beyond loopback it needs --passwd and --devices.
  --passwd    a Mosquitto password file (mosquitto_passwd): every client logs in, as on Mosquitto
  --devices   the devices file: each account gets the rights \`hanvisa devices acl\` renders for
              Mosquitto, with the same --org, --board-user, --switchboard-user, --provisioning-user,
              --recorder-user
Without --passwd anyone on this machine may publish anything: a loopback demo only.`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    passwd: { type: 'string' },
    devices: { type: 'string' },
    org: { type: 'string' },
    'board-user': { type: 'string', multiple: true },
    'switchboard-user': { type: 'string', multiple: true },
    'provisioning-user': { type: 'string', multiple: true },
    'recorder-user': { type: 'string', multiple: true },
  },
};

/** --passwd and --devices: both or neither; an unreadable or unparsable file is a ConfigFileError. */
async function brokerAccounts(
  values: Record<string, string | string[] | boolean | undefined>,
  ctx: CommandContext,
): Promise<BrokerAccounts | undefined> {
  const passwd = values.passwd as string | undefined;
  if (passwd === undefined) {
    if (values.devices !== undefined) throw new UsageError('--devices needs --passwd');
    return undefined;
  }
  const text = readTextFile(passwd, '--passwd');
  let check: PasswordCheck;
  try {
    check = parsePasswordFile(text);
  } catch (e) {
    throw new ConfigFileError(`--passwd ${passwd}`, [(e as Error).message]);
  }
  const org = values.org === undefined ? undefined : orgOption(values.org as string);
  // loaded only here: the board and the simulator carry no provisioning code
  const { aclFromDevicesFile } = await import('../provisioning/devices-command.js');
  const acl = await aclFromDevicesFile(ctx, org, values as AclOptions, 'broker --passwd');
  if (!acl) throw new Error('the devices file has errors: broker not started');
  return { check, acl };
}

export async function brokerCommand(argv: string[], ctx: CommandContext = process): Promise<void> {
  const values = parse(BROKER, argv, ctx);
  if (!values) return;
  const out = printer(ctx.stdout);
  const accounts = await brokerAccounts(values, ctx);
  const host = (values.host as string | undefined) ?? '127.0.0.1';
  if (!accounts && !isLoopback(host))
    throw new UsageError(
      `--host ${host} without --passwd and --devices would let anyone who reaches it set any desk's state; ` +
        'anonymous access is only for loopback',
    );
  const broker = await startEmbeddedBroker({
    port: portOption(values.port as string | undefined, 1883),
    host,
    ...(accounts ? { accounts } : {}),
  });
  out(`broker ${broker.url}`);
  // SIGHUP re-reads --passwd and --devices, as Mosquitto rereads its files; a file that does not load
  // is refused, printed, and the accounts as they were stay.
  const reload = () => {
    if (!accounts) return out('anonymous demo: no accounts to reload');
    brokerAccounts(values, ctx)
      .then((next) => {
        if (next) broker.reload(next);
      })
      .then(
        () => out('accounts reloaded'),
        (e) =>
          printer(ctx.stderr)(`accounts not reloaded, the ones as they were stay: ${(e as Error).message}`),
      );
  };
  await runUntilStopped(ctx, () => broker.close(), reload);
}
