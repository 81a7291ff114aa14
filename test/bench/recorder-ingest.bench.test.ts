// Recorder ingest (issue 11): 50,000 presence changes published as fast as one mqtt.js client can
// (QoS 1, 5,000 desks) through a real Mosquitto, into the recorder with SQLite and with a real
// PostgreSQL. Figure: events per second from the first publish to the last event stored. Baseline,
// same run and broker: the same stream into a bare mqtt.js subscriber (first publish → last delivered).
// The test PostgreSQL runs with fsync off (test/support/postgres.ts); SQLite is WAL, synchronous=NORMAL.
// Issue 26: the bare subscriber, SQLite and PostgreSQL take turns, ROUNDS times, and each figure is its
// median (before, the bare run went once, first, on a cold broker and JIT, and one noisy run swung the
// ratios by half); each round records a new organisation into a new database. Beside the rates, the
// CPU time this process spent per event (process.cpuUsage: publisher, transport and recorder, with
// SQLite's inserts; PostgreSQL's server is another process), which contention from other work on the
// machine moves far less than the wall-clock rates.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode, type Presence } from '../../protocol/index.js';
import { startRecorder } from '../../switchboard/recorder/recorder.js';
import { openStorage } from '../../switchboard/recorder/storage/open.js';
import type { Mosquitto } from '../support/mosquitto.js';
import type { Postgres } from '../support/postgres.js';
import { type RecorderFixture, startRecorderFixture } from '../support/recorder-fixture.js';
import { percentile, writeBenchResult } from './report.js';

const EVENTS = 50_000;
const DESKS = 5000;
const ROUNDS = 3;

function payloads(org: string): { topic: string; payload: Buffer }[] {
  const base = Date.parse('2026-12-02T08:00:00Z');
  return Array.from({ length: EVENTS }, (_, i) => {
    const at = new Date(base + i).toISOString();
    const body: Presence = {
      v: 1,
      status: i % 2 ? 'available' : 'away',
      reason: i % 2 ? null : 'meeting',
      since: at,
      until: null,
      alt: null,
      seq: i,
      by: { kind: 'desk', id: `desk-${i % DESKS}` },
      at,
    };
    return encode({ kind: 'presence', org, ext: String(10000 + (i % DESKS)), body });
  });
}

/** Publishes everything with a bounded number in flight; resolves when the broker has acked all. */
async function publishAll(client: MqttClient, list: { topic: string; payload: Buffer }[]): Promise<void> {
  const inflight = 500;
  for (let i = 0; i < list.length; i += inflight)
    await Promise.all(
      list.slice(i, i + inflight).map((m) => client.publishAsync(m.topic, m.payload, { qos: 1 })),
    );
}

/**
 * Checks every millisecond: the recorder runs in this thread, and a check on every turn of the loop
 * (setImmediate, as before issue 26) took 10-20 % of its CPU in the profile (stats() builds its report).
 */
const waitUntil = async (check: () => boolean | Promise<boolean>) => {
  while (!(await check())) await new Promise((r) => setTimeout(r, 1));
};

describe('recorder ingest', () => {
  let broker: Mosquitto;
  let postgres: Postgres;
  let dir: string;
  let publisher: MqttClient;
  let fixture: RecorderFixture | undefined;
  beforeAll(async () => {
    fixture = await startRecorderFixture('hanvisa-bench-');
    ({ broker, postgres, dir, publisher } = fixture);
  });
  afterAll(() => fixture?.dispose());

  it('stores at least 5,000 events a second into each database', async () => {
    const load = loadavg();
    const runs: Record<'bare' | 'sqlite' | 'postgres', number[]> = { bare: [], sqlite: [], postgres: [] };
    const cpu: Record<'bare' | 'sqlite' | 'postgres', number[]> = { bare: [], sqlite: [], postgres: [] };
    const cpuPerEvent = (since: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / EVENTS;
    };
    for (let round = 0; round < ROUNDS; round++) {
      // bare transport: a plain subscriber
      const bare = await mqtt.connectAsync(broker.url, {
        protocolVersion: 4,
        reconnectPeriod: 0,
        clean: true,
      });
      const bareOrg = `bare${round}`;
      await bare.subscribeAsync(`hanvisa/v1/${bareOrg}/presence/+`, { qos: 1 });
      let got = 0;
      bare.on('message', () => got++);
      const bareList = payloads(bareOrg);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      await publishAll(publisher, bareList);
      await waitUntil(() => got >= EVENTS);
      runs.bare.push(EVENTS / ((performance.now() - t0) / 1000));
      cpu.bare.push(cpuPerEvent(cpu0));
      await bare.endAsync();

      for (const [name, location] of [
        ['sqlite', join(dir, `ingest-${round}.db`)],
        ['postgres', await postgres.createDatabase(`ingest${round}`)],
      ] as const) {
        const org = `bench-${name}-${round}`;
        const storage = await openStorage(location);
        const recorder = await startRecorder({
          brokerUrl: broker.url,
          storage,
          orgs: [org],
          rollupMs: 3_600_000,
        });
        await recorder.ready;
        const list = payloads(org);
        const start = performance.now();
        const cpu0 = process.cpuUsage();
        await publishAll(publisher, list);
        await waitUntil(() => {
          const s = recorder.stats();
          return s.recorded + s.duplicates >= EVENTS;
        });
        runs[name].push(EVENTS / ((performance.now() - start) / 1000));
        cpu[name].push(cpuPerEvent(cpu0));
        expect(recorder.stats().recorded).toBe(EVENTS);
        await recorder.close();
        await storage.close();
      }
    }
    console.log(
      '[bench] recorder-ingest rounds, events/s',
      JSON.stringify(runs, (_k, v) => (typeof v === 'number' ? Math.round(v) : v)),
    );
    const median = (list: number[]) => Math.round(percentile(list, 50));
    const rates = {
      sqliteEventsPerSecond: median(runs.sqlite),
      postgresEventsPerSecond: median(runs.postgres),
      sqliteCpuUsPerEvent: median(cpu.sqlite),
      postgresCpuUsPerEvent: median(cpu.postgres),
    };
    const bareRate = median(runs.bare);
    const result = await writeBenchResult(
      'recorder-ingest',
      { ...rates, loadavg1: Number(load[0]?.toFixed(2)) },
      {
        sqliteEventsPerSecond: bareRate,
        postgresEventsPerSecond: bareRate,
        sqliteCpuUsPerEvent: median(cpu.bare),
        postgresCpuUsPerEvent: median(cpu.bare),
      },
      { ingest: '>= 5,000 events/s sustained into each database' },
    );
    expect(result.measured.sqliteEventsPerSecond).toBeGreaterThan(0);
  });
});
