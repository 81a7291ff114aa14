// A short seeded broker soak in `npm test` (the 100-cycle run is `npm run soak`, test/bench/soak.bench.test.ts):
// stops, kills and empties Mosquitto under desks and a board with keys pressed and operators writing
// during the outages; nothing accepted is lost, the board equals every desk, every desk lit its offline lamp.
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
