// The agent's timing on a fake clock, with no broker reachable (a closed port: the link is really
// offline, nothing is mocked but time).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PanelSettings } from '../../hardware/port.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';
import { DEFAULT_POLICY } from '../../rules/policy.js';
import { freePort } from '../../test/support/mosquitto.js';
import { type Agent, type Clock, startAgent } from './agent.js';
import { parseConfig } from './config.js';

/** A manual clock: timers run only when the test advances time. */
class FakeClock implements Clock {
  private nextId = 1;
  readonly timers = new Map<number, { at: number; fn: () => void }>();
  constructor(public t: number) {}
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers.delete(h as number);
  };
  get next(): number | undefined {
    return Math.min(...[...this.timers.values()].map((t) => t.at));
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = end;
  }
}

const LUNCH = 1;
const SICK = 4;
const LINK_LED = 11;
// Monday 25 Nov 2026 12:00 in Stockholm (UTC+1)
const NOON = Date.UTC(2026, 10, 25, 11, 0);

describe('agent timing', () => {
  let dir: string;
  let port: number;
  const running: Agent[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-agent-unit-'));
    port = await freePort();
  });
  afterEach(async () => {
    for (const a of running.splice(0)) await a.stop();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function start(panel: VirtualPanel, clock: FakeClock) {
    const cfg = parseConfig({
      org: 'test',
      ext: '100',
      deviceId: 'desk-unit',
      broker: { url: `mqtt://127.0.0.1:${port}`, keepaliveSeconds: 2 },
      journalPath: join(dir, `${Math.random()}.json`),
    });
    const agent = await startAgent(cfg, { panel, clock });
    running.push(agent);
    return agent;
  }

  it('arms no timer while idle and exactly one for the next lamp change: the nudge, then overdue', async () => {
    const clock = new FakeClock(NOON);
    const panel = new VirtualPanel();
    const agent = await start(panel, clock);
    // A missing journal and no broker: the desk has published nothing and shows no false "available".
    expect(agent.presence).toBeUndefined();
    expect(clock.timers.size).toBe(0);
    await vi.waitFor(() => expect(agent.link).toBe('offline'));
    expect(panel.frame[LINK_LED]?.pattern).toBe('fast');

    panel.tap(LUNCH);
    expect(agent.presence).toMatchObject({
      status: 'away',
      reason: 'lunch',
      until: '2026-11-25T11:45:00.000Z',
    });
    expect(agent.pending).toBe(true);
    expect(clock.timers.size).toBe(1);
    // the nudge, five minutes before the return time (rules/nudge.ts)
    expect(clock.next).toBe(NOON + 40 * 60_000);
    expect(panel.frame[LUNCH]?.pattern).toBe('on');

    clock.advance(40 * 60_000 - 1);
    expect(panel.frame[LUNCH]?.pattern).toBe('on');
    clock.advance(1);
    expect(panel.frame[LUNCH]).toEqual({ pattern: 'slow', color: 'amber' });
    expect(clock.timers.size).toBe(1);
    expect(clock.next).toBe(NOON + 45 * 60_000);
    clock.advance(5 * 60_000);
    expect(panel.frame[LUNCH]).toEqual({ pattern: 'slow', color: 'red' });
    // Overdue stays overdue: nothing left to wake for.
    expect(clock.timers.size).toBe(0);
  });

  it('times a long press itself on a panel that does not report one', async () => {
    const clock = new FakeClock(NOON);
    const panel = new VirtualPanel({ reportsLongPress: false });
    const agent = await start(panel, clock);
    panel.press(SICK);
    expect(agent.presence).toBeUndefined();
    expect(clock.next).toBe(NOON + 800);
    clock.advance(800);
    expect(agent.presence).toMatchObject({ status: 'away', reason: 'sick', until: null });
    panel.release(SICK);
    expect(agent.presence?.seq).toBe(1);
    expect(clock.timers.size).toBe(0);
  });

  it("gives a panel that times its own long presses the organisation's time, once and not per refresh", async () => {
    const clock = new FakeClock(NOON);
    const settings: PanelSettings[] = [];
    const panel = Object.assign(new VirtualPanel(), { configure: (s: PanelSettings) => settings.push(s) });
    await start(panel, clock);
    panel.tap(LUNCH);
    clock.advance(60_000);
    expect(settings).toEqual([{ longPressMs: DEFAULT_POLICY.longPressMs }]);
  });
});
