// Starts a real NATS cluster (Debian's nats-server 2.9) for the regional-host tests: three nodes on
// free loopback ports in one temp dir, clustered (routes to each other), JetStream on each with its own
// store, and each node's MQTT 3.1.1 front end, whose retained messages and sessions NATS keeps in
// JetStream streams replicated on all three. A node can be killed (SIGKILL, a crash) and started again on
// the same ports and store, as a node of a real cluster comes back.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { freePort, waitForPort } from './mosquitto.js';
import { exited, spawnServer } from './server-process.js';

const BINARY = ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find((p) => existsSync(p));

export const natsInstalled = (): boolean => BINARY !== undefined;

export interface NatsNode {
  name: string;
  /** this node's MQTT front end */
  url: string;
  /** SIGKILL, as a crash or power cut would; resolves once the process is gone */
  kill(): Promise<void>;
  /** SIGTERM: a clean shutdown (clients closed, JetStream state flushed) */
  stop(): Promise<void>;
  /** starts the node again on its ports and store; resolves once it serves MQTT with JetStream current */
  start(): Promise<void>;
  running(): boolean;
  /** the running process's id (the benchmark reads its memory from /proc) */
  pid(): number | undefined;
  log(): string;
}

export interface NatsCluster {
  nodes: NatsNode[];
  /** every node's MQTT URL, comma-separated, starting at node `first`: a client's broker setting */
  urls(first?: number): string;
  dispose(): Promise<void>;
}

/** How long a node may take to join and serve MQTT; the JetStream meta leader election comes first. */
const READY_MS = 60_000;

export interface NatsOptions {
  /**
   * Replicas of each MQTT QoS 1 subscription's JetStream consumer. 3 (default): a subscription outlives
   * the loss of any one node. 1 (in memory): a SUBSCRIBE costs milliseconds instead of up to a second,
   * but a subscriber whose consumer sat on a lost node silently gets no more QoS 1 messages while its
   * own connection (on another node) stays up (docs/scale.md).
   */
  consumerReplicas?: 1 | 3;
}

export async function startNatsCluster(options: NatsOptions = {}): Promise<NatsCluster> {
  const size = 3;
  const consumers =
    options.consumerReplicas === 1
      ? 'consumer_replicas: 1, consumer_memory_storage: true'
      : `consumer_replicas: ${size}`;
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-nats-'));
  const ports = [];
  for (let i = 0; i < size; i++)
    ports.push({
      client: await freePort(),
      route: await freePort(),
      http: await freePort(),
      mqtt: await freePort(),
    });
  const routes = ports.map((p) => `nats-route://127.0.0.1:${p.route}`);
  const nodes = await Promise.all(
    ports.map(async (p, i) => {
      const name = `n${i + 1}`;
      const store = join(dir, name);
      await mkdir(store);
      const conf = join(dir, `${name}.conf`);
      await writeFile(
        conf,
        [
          `server_name: ${name}`,
          `listen: 127.0.0.1:${p.client}`,
          `http: 127.0.0.1:${p.http}`,
          `jetstream { store_dir: "${store}" }`,
          `cluster { name: hanvisa, listen: 127.0.0.1:${p.route}, routes: [${routes.join(', ')}] }`,
          // every retained message and session on all three nodes: one node lost loses nothing
          `mqtt { listen: 127.0.0.1:${p.mqtt}, stream_replicas: ${size}, ${consumers} }`,
          '',
        ].join('\n'),
      );
      return natsNode(name, conf, p.mqtt, p.http);
    }),
  );
  const cluster: NatsCluster = {
    nodes,
    urls: (first = 0) =>
      nodes
        .map((_, i) => nodes[(first + i) % nodes.length]?.url)
        .filter(Boolean)
        .join(','),
    async dispose() {
      await Promise.all(nodes.map((n) => n.kill()));
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    // together: no node is ready before a JetStream meta leader is elected, which needs a quorum
    await Promise.all(nodes.map((n) => n.start()));
  } catch (e) {
    await cluster.dispose();
    throw e;
  }
  return cluster;
}

function natsNode(name: string, conf: string, mqttPort: number, httpPort: number): NatsNode {
  let child: ChildProcess | undefined;
  const log = { output: '' };
  const url = `mqtt://127.0.0.1:${mqttPort}`;
  const end = async (signal: NodeJS.Signals) => {
    const proc = child;
    if (!proc) return;
    child = undefined;
    proc.kill(signal);
    await exited(proc);
  };
  return {
    name,
    url,
    async start() {
      if (child) return;
      const proc = await spawnServer('nats-server', BINARY ?? 'nats-server', ['-c', conf], log, async (p) => {
        await waitForPort(mqttPort, READY_MS);
        await untilReady(url, httpPort, p);
      });
      proc.once('exit', () => {
        if (child === proc) child = undefined;
      });
      if (proc.exitCode === null && proc.signalCode === null) child = proc;
    },
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    running: () => child !== undefined,
    pid: () => child?.pid,
    log: () => log.output,
  };
}

/**
 * Ready: the node's health endpoint says its JetStream server is current with the meta leader (not
 * every stream and consumer: a restarted node can wait minutes on consumers of sessions long gone), and
 * its MQTT front end answers a CONNECT with a CONNACK (it refuses clients until it reaches its streams).
 */
async function untilReady(url: string, httpPort: number, proc: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_MS;
  let last = '';
  while (proc.exitCode === null && proc.signalCode === null) {
    try {
      const res = await fetch(`http://127.0.0.1:${httpPort}/healthz?js-server-only=true`, {
        signal: AbortSignal.timeout(2000),
      });
      last = await res.text();
      if (res.ok) {
        // no retries: a node that drops the CONNECT must reject here, not wait for a reconnect
        const probe = await mqtt.connectAsync(
          url,
          { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000 },
          false,
        );
        await probe.endAsync(true);
        return;
      }
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`NATS node at ${url} not ready after ${READY_MS} ms: ${last}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
