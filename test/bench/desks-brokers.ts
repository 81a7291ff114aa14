// The brokers the 1,000-desk bench runs on (one Mosquitto, a 3-node NATS cluster) and what /proc
// says of the run's processes: RSS, open fds, and the CPU a fan-out round costs each part.
import { readdirSync, readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { expect, vi } from 'vitest';
import { startMosquitto } from '../support/mosquitto.js';
import { startNatsCluster } from '../support/nats.js';
import { round } from './board-fixture.js';
import type { DeskWorker as Worker } from './desks-workers.js';

const procStatus = (pid: number, field: string) =>
  Number(
    /\d+/.exec(
      readFileSync(`/proc/${pid}/status`, 'utf8')
        .split('\n')
        .find((l) => l.startsWith(field)) ?? '',
    )?.[0],
  );

/**
 * Mosquitto's own count of retained messages and of the bytes its store holds ($SYS, sys_interval 1),
 * once it counts at least `atLeast` retained (its $SYS figures lag by up to a second).
 */
async function brokerStore(url: string, atLeast: number): Promise<{ retained: number; bytes: number }> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4 });
  try {
    const values = new Map<string, number>();
    const topics = ['$SYS/broker/retained messages/count', '$SYS/broker/store/messages/bytes'];
    client.on('message', (topic, payload) => values.set(topic, Number(payload.toString())));
    await client.subscribeAsync(topics, { qos: 0 });
    await vi.waitFor(
      () => {
        expect(values.size).toBe(2);
        expect(values.get(topics[0] as string)).toBeGreaterThanOrEqual(atLeast);
      },
      { timeout: 20_000, interval: 100 },
    );
    return {
      retained: values.get(topics[0] as string) as number,
      bytes: values.get(topics[1] as string) as number,
    };
  } finally {
    await client.endAsync();
  }
}

/** The broker under measure: one Mosquitto, or the cluster's nodes. */
export interface BenchBroker {
  /** results file */
  name: string;
  /** the broker setting of hanvisa client i (a cluster: every node, starting at node i) */
  url(i: number): string;
  /** a single node's URL for bare mqtt.js client i */
  node(i: number): string;
  pids(): number[];
  /** Mosquitto's $SYS store figures (a cluster keeps its retained messages in JetStream) */
  store?(atLeast: number): Promise<{ retained: number; bytes: number }>;
  dispose(): Promise<void>;
}

export async function mosquittoBench(): Promise<BenchBroker> {
  // fds: 1,000 desks + 1,000 bare subscribers + the board; the shell's limit is inherited
  // $SYS every second: the retained count and the store's bytes once the desks are up
  const mosquitto = await startMosquitto({ config: ['sys_interval 1'] });
  return {
    name: 'desks-1000',
    url: () => mosquitto.url,
    node: () => mosquitto.url,
    pids: () => [mosquitto.pid() as number],
    store: (atLeast) => brokerStore(mosquitto.url, atLeast),
    dispose: () => mosquitto.dispose(),
  };
}

export async function natsBench(): Promise<BenchBroker> {
  // R1 consumers: with R3 each desk's SUBSCRIBE takes up to a second (docs/scale.md)
  const nats = await startNatsCluster({ consumerReplicas: 1 });
  const at = (i: number) => nats.nodes[i % nats.nodes.length]?.url as string;
  return {
    name: 'desks-1000-nats',
    url: (i) => nats.urls(i % nats.nodes.length),
    node: at,
    pids: () => nats.nodes.map((n) => n.pid() as number),
    dispose: () => nats.dispose(),
  };
}

/** CPU ms so far of the run's parts: the workers (their own count), the broker, this process, the rest of its descendants (Chromium) */
export interface CpuSplit {
  workers: number;
  broker: number;
  board: number;
  browser: number;
}
export const newCpuSplit = (): CpuSplit => ({ workers: 0, broker: 0, board: 0, browser: 0 });
const TICK_MS = 10; // /proc/…/stat counts in clock ticks (USER_HZ, 100 on Linux)
const procStat = (pid: number) => {
  try {
    // the fields after the command name (which may hold spaces), from field 3 on
    const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)?.split(' ') ?? [];
    return { ppid: Number(rest[1]), cpuMs: (Number(rest[11]) + Number(rest[12])) * TICK_MS };
  } catch {
    return undefined; // gone meanwhile
  }
};
export async function cpuSplit(workers: readonly Worker[], brokerPids: readonly number[]): Promise<CpuSplit> {
  const answers = await Promise.all(workers.map((w) => w.ask<{ cpuUs: number }>({ type: 'cpu' })));
  const own = process.cpuUsage();
  const skip = new Set([...brokerPids, ...workers.map((w) => w.proc.pid as number)]);
  const stats = new Map<number, { ppid: number; cpuMs: number }>();
  for (const name of readdirSync('/proc'))
    if (/^\d+$/.test(name)) {
      const stat = procStat(Number(name));
      if (stat) stats.set(Number(name), stat);
    }
  const below = (pid: number): boolean => {
    for (let p = stats.get(pid)?.ppid; p !== undefined && p > 1; p = stats.get(p)?.ppid)
      if (p === process.pid) return true;
    return false;
  };
  let browser = 0;
  for (const [pid, stat] of stats) if (!skip.has(pid) && below(pid)) browser += stat.cpuMs;
  return {
    workers: answers.reduce((a, r) => a + r.cpuUs, 0) / 1000,
    broker: brokerPids.reduce((a, pid) => a + (procStat(pid)?.cpuMs ?? 0), 0),
    board: (own.user + own.system) / 1000,
    browser,
  };
}
export function addCpu(sum: CpuSplit, before: CpuSplit, after: CpuSplit): void {
  for (const k of Object.keys(sum) as (keyof CpuSplit)[]) sum[k] += after[k] - before[k];
}
/** a fan-out's CPU per round, by part (the broker's and Chromium's to 10 ms a reading) */
export const perRound = (sum: CpuSplit, rounds: number) => ({
  queueCpuMsPerRoundWorkers: round(sum.workers / rounds, 2),
  queueCpuMsPerRoundBroker: round(sum.broker / rounds, 2),
  queueCpuMsPerRoundBoard: round(sum.board / rounds, 2),
  queueCpuMsPerRoundBrowser: round(sum.browser / rounds, 2),
});

export const rssMB = (pids: number[]) => pids.reduce((a, pid) => a + procStatus(pid, 'VmRSS:'), 0) / 1024;
export const fds = (pids: number[]) => pids.reduce((a, pid) => a + readdirSync(`/proc/${pid}/fd`).length, 0);
