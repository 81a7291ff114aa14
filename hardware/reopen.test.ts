// Reopen on its own, with a fake clock: when attempts happen, what the listener hears, what is replayed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecordingListener } from '../test/support/panel-listener.js';
import type { LedFrame, PanelDescription } from './port.js';
import { Reopen } from './reopen.js';

const PANEL: PanelDescription = {
  hardwareId: 'p-1',
  model: 'test',
  keys: 2,
  leds: 2,
  reportsLongPress: false,
  colors: false,
};
const FRAME: LedFrame = [{ pattern: 'on' }, { pattern: 'fast' }];

describe('Reopen', () => {
  let listener: RecordingListener;
  let attempts: number[];
  let replayed: LedFrame[];
  let reopen: Reopen;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    listener = new RecordingListener();
    attempts = [];
    replayed = [];
    reopen = new Reopen({
      attempt: () => attempts.push(Date.now()),
      replay: (frame) => replayed.push(frame),
      retryMinMs: 100,
      retryMaxMs: 400,
    });
  });
  afterEach(() => {
    reopen.stop();
    vi.useRealTimers();
  });

  it('tries at start, then after 100, 200, 400, 400 ms while absent, saying so once', async () => {
    const t0 = Date.now();
    // a device that is never there: each attempt ends in absent(), as in the drivers
    const absent: Reopen = new Reopen({
      attempt: () => {
        attempts.push(Date.now());
        absent.absent('no device');
      },
      replay: () => {},
      retryMinMs: 100,
      retryMaxMs: 400,
    });
    absent.start(listener);
    await vi.advanceTimersByTimeAsync(1100);
    absent.stop();
    expect(attempts.map((t, i) => t - (attempts[i - 1] ?? t0))).toEqual([0, 100, 200, 400, 400]);
    expect(listener.faults.map((e) => e.message)).toEqual(['no device']);
  });

  it('a connect starts the backoff over and the next outage is said again', async () => {
    reopen.start(listener);
    reopen.absent('no device');
    await vi.advanceTimersByTimeAsync(100);
    reopen.absent('no device');
    await vi.advanceTimersByTimeAsync(200);
    reopen.connected(PANEL);
    reopen.lost(new Error('gone'));
    const before = attempts.length;
    const lostAt = Date.now();
    reopen.retry();
    await vi.advanceTimersByTimeAsync(100);
    expect(attempts.slice(before)).toEqual([lostAt + 100]);
    reopen.absent('no device');
    expect(listener.faults.map((e) => e.message)).toEqual(['no device', 'gone', 'no device']);
    expect(listener.connections).toEqual([PANEL, false]);
  });

  it('keeps a frame shown while away and replays it on every connect, not before', () => {
    reopen.start(listener);
    reopen.show(FRAME);
    expect(replayed).toEqual([]);
    reopen.connected(PANEL);
    reopen.lost(undefined);
    reopen.connected(PANEL);
    expect(replayed).toEqual([FRAME, FRAME]);
    reopen.show([]);
    expect(replayed.at(-1)).toEqual([]);
    expect(reopen.frame).toEqual([]);
  });

  it('a loss before any connect is a fault but no disconnect', () => {
    reopen.start(listener);
    reopen.lost(new Error('never answered'));
    expect(listener.faults).toHaveLength(1);
    expect(listener.connections).toEqual([]);
  });

  it('stopped: no further attempt, and closing says so to an attempt still under way', async () => {
    reopen.start(listener);
    reopen.absent('no device');
    reopen.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempts).toHaveLength(1);
    expect(reopen.closing).toBe(true);
    reopen.retry();
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempts).toHaveLength(1);
  });
});
