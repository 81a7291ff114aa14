// `npm run soak`: the long broker soak (issue 12), by default 100 seeded stop/kill/empty cycles with 20
// desks; SOAK_CYCLES, SOAK_SEED and SOAK_DESKS change them. SOAK_BROKER=cluster (`npm run soak:cluster`)
// runs it on a 3-node NATS cluster that loses one node per cycle (issue 25), into bench-results/soak-cluster.json. The assertions are the short run's
// (test/integration/broker-soak.test.ts); this also writes bench-results/soak.json. No raw transport
// to compare: the figures are counts and restart → converged times.
import { loadavg } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runSoak } from '../support/soak.js';
import { percentile, writeBenchResult } from './report.js';

const envNumber = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CYCLES = envNumber('SOAK_CYCLES', 100);
const SEED = envNumber('SOAK_SEED', 1);
const DESKS = envNumber('SOAK_DESKS', 20);
const BROKER = process.env.SOAK_BROKER === 'cluster' ? 'cluster' : 'mosquitto';

describe('broker soak', () => {
  it(`loses nothing over ${CYCLES} cycles (${BROKER}, seed ${SEED}, ${DESKS} desks)`, async () => {
    const load = loadavg()[0] as number;
    const t0 = performance.now();
    const report = await runSoak({
      broker: BROKER,
      cycles: CYCLES,
      seed: SEED,
      desks: DESKS,
      log: console.log,
    });
    const failover = report.cycles.flatMap((c) => (c.failoverMs !== undefined ? [c.failoverMs] : []));
    const converge = report.cycles.map((c) => c.convergeMs);
    const count = (outage: string) => report.cycles.filter((c) => c.outage === outage).length;
    const sum = (key: 'presses' | 'accepted' | 'refused') => report.cycles.reduce((a, c) => a + c[key], 0);
    await writeBenchResult(
      BROKER === 'cluster' ? 'soak-cluster' : 'soak',
      {
        cycles: CYCLES,
        seed: SEED,
        desks: DESKS,
        stopCycles: count('stop'),
        killCycles: count('kill'),
        killEmptyCycles: count('kill-empty'),
        killNodeCycles: count('kill-node'),
        stopNodeCycles: count('stop-node'),
        presses: sum('presses'),
        operatorWritesAccepted: sum('accepted'),
        operatorWritesRefused: sum('refused'),
        messagesAccepted: report.messagesAccepted,
        lostMessages: report.lostMessages,
        ghostMessages: report.ghostMessages,
        convergeMsP50: percentile(converge, 50),
        convergeMsP99: percentile(converge, 99),
        convergeMsMax: Math.max(...converge),
        ...(failover.length
          ? { failoverMsP50: percentile(failover, 50), failoverMsMax: Math.max(...failover) }
          : {}),
        totalSeconds: Math.round((performance.now() - t0) / 1000),
        loadAverage1mAtStart: load,
        loadAverage1mAtEnd: loadavg()[0] as number,
      },
      {},
      { lostMessages: '0', ghostMessages: '0' },
    );
    expect(report.lostMessages).toBe(0);
    expect(report.ghostMessages).toBe(0);
  }, 3_600_000);
});
