// A short seeded broker soak in `npm test` (the long runs are `npm run soak`, test/bench/soak.bench.test.ts):
// stops, kills and empties Mosquitto under desks, a board and a phone bridge, with keys pressed,
// operators writing and the queue changing during the outages; nothing accepted is lost, the board
// equals every desk, every desk's queue lamp is right, every desk lit its offline lamp. The same soak on
// a 3-node NATS cluster (`npm run soak:cluster`) does not pass on NATS 2.9: docs/scale.md says why, and
// test/integration/broker-neutral.test.ts pins the cause.
import { describe, expect, it } from 'vitest';
import { runSoak } from '../support/soak.js';

describe('broker soak, short and seeded', () => {
  it('loses nothing over 5 stop/kill/empty cycles with 4 desks', async () => {
    const report = await runSoak({ cycles: 5, seed: 12, desks: 4 });
    expect(report.cycles).toHaveLength(5);
    expect(report.lostMessages).toBe(0);
    expect(report.ghostMessages).toBe(0);
    expect(report.messagesAccepted).toBeGreaterThan(0);
    // the seed reaches every kind of outage, and writes during them are refused, not half-taken
    expect(new Set(report.cycles.map((c) => c.outage)).size).toBe(3);
    expect(report.messagesRefused).toBeGreaterThan(0);
  }, 120_000);
});
