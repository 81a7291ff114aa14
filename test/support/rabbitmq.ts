// Starts a real RabbitMQ (Debian's rabbitmq-server) with its MQTT plugin, for the broker-neutrality
// tests: its own temp dir (RABBITMQ_BASE and friends), node name, Erlang distribution and epmd ports,
// so it neither needs nor touches the package's system node. The plugin is enabled by an
// enabled_plugins file, not rabbitmq-plugins (which would want a running node).
import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from './mosquitto.js';
import { exited, spawnServer } from './server-process.js';

const run = promisify(execFile);
const BINARY = '/usr/lib/rabbitmq/bin/rabbitmq-server';

export interface RabbitMq {
  url: string;
  dispose(): Promise<void>;
  log(): string;
}

export const rabbitMqInstalled = (): boolean => existsSync(BINARY);

export async function startRabbitMq(): Promise<RabbitMq> {
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-rabbitmq-'));
  const [amqp, mqtt, dist, epmd] = [await freePort(), await freePort(), await freePort(), await freePort()];
  await writeFile(join(dir, 'enabled_plugins'), '[rabbitmq_mqtt].\n');
  await writeFile(
    join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${amqp}`,
      `mqtt.listeners.tcp.default = 127.0.0.1:${mqtt}`,
      // the other brokers in the tests admit anonymous clients too; ACLs are tested on Mosquitto
      'mqtt.allow_anonymous = true',
      '',
    ].join('\n'),
  );
  const name = `hanvisa${mqtt}`;
  const env = {
    ...process.env,
    HOME: dir,
    RABBITMQ_BASE: dir,
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
    RABBITMQ_NODENAME: `${name}@localhost`,
    RABBITMQ_DIST_PORT: String(dist),
    ERL_EPMD_PORT: String(epmd),
  };
  const log = { output: '' };
  // the Erlang VM boots in several seconds on a quiet machine; far more on a loaded one
  const child: ChildProcess = await spawnServer(
    'rabbitmq',
    BINARY,
    [],
    log,
    () => waitForPort(mqtt, 120_000),
    {
      env,
    },
  );
  return {
    url: `mqtt://127.0.0.1:${mqtt}`,
    log: () => log.output,
    async dispose() {
      child.kill('SIGTERM');
      await exited(child);
      // the VM started an epmd daemon on our own port; it outlives the node unless told to stop
      await run('epmd', ['-port', String(epmd), '-kill']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
