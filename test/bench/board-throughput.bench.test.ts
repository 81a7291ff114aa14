// Board under load (issue 5, issue 26): 10,000 presence changes a second for 10 s into Mosquitto (a
// publisher in its own process, QoS 1 retained like a desk) while the board holds 50,000 people and
// Chromium shows its page. BOARD_THROUGHPUT_RATE=5000 runs the earlier 5,000/s (its own JSON,
// board-throughput-5000), so the figures from before issue 26 stay comparable. Each change carries its publish time (Date.now(), same machine) in its note, and in the
// alternative's info text, which a visible row shows. Figures:
// - publish → the board's SSE stream, read by a plain HTTP client in this process;
// - publish → the page received the delta (the SSE event, before the page's own handling);
// - publish → the DOM for rows in view: the search is narrowed to a 20-person department that one
//   change in 50 goes to, and a MutationObserver sees the stamp appear in the row;
// - RSS of the board, run as shipped (`hanvisa board` from dist/, its own process) holding 50,000
//   people, beside a bare mqtt.js process holding the same retained messages' bytes.
// - whether a client connecting while the traffic flows gets its snapshot and stays connected.
// - CPU per change, which waiting for a shared core does not inflate (the load-robust figures, the
//   criterion of scripts/bench-bisect.sh): the page's main-thread time (Chromium's TaskDuration,
//   ScriptDuration, LayoutDuration, RecalcStyleDuration over CDP) and the board process's CPU time
//   (/proc), each over the stream window and divided by the changes published.
// BENCH_PAGE_PROFILE=<file> also writes a CPU profile of the page over the stream there and prints its
// split by stage (the profiler's own cost is in that run's CPU figures: profile in a separate run).
// Baseline, same run and broker: the same stream into a bare mqtt.js subscriber (publish → delivery;
// its CPU per change is this process's over the bare stream).
import { writeFile } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import { loadavg } from 'node:os';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { splitByStage } from '../support/cpu-profile-stages.js';
import { freePort, type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import {
  boardProcess,
  buildProduct,
  PEOPLE,
  type Probed,
  presenceFilter,
  publishRetained,
  rawHolder,
  round,
  runStream,
  stampOf,
  stopChildren,
  WATCHED,
} from './board-fixture.js';
import {
  openBoard,
  PAGE_STAGES,
  type PageTimings,
  pageCpuMeter,
  profilePage,
  resetTimings,
  timings,
} from './board-page.js';
import { percentile, writeBenchResult } from './report.js';

const RATE = Number(process.env.BOARD_THROUGHPUT_RATE ?? 10_000);
/** the 10,000/s run keeps the name; another rate writes its own JSON */
const NAME = RATE === 10_000 ? 'board-throughput' : `board-throughput-${RATE}`;
const SECONDS = 10;
const WATCHED_EVERY = 50;
const PAGE_PROFILE = process.env.BENCH_PAGE_PROFILE;

async function health(boardUrl: string): Promise<{ people: number; applied: number }> {
  const response = await fetch(new URL('/api/health', boardUrl));
  return (await response.json()) as { people: number; applied: number };
}
const summary = (prefix: string, xs: number[]) => ({
  [`${prefix}MsP50`]: round(percentile(xs, 50)),
  [`${prefix}MsP99`]: round(percentile(xs, 99)),
  [`${prefix}MsMax`]: round(Math.max(...xs)),
  [`${prefix}Samples`]: xs.length,
});

/** Waits until the page has seen nothing new for `quietMs` (the tail of the stream has drained). */
async function drained(page: Page, quietMs: number): Promise<PageTimings> {
  for (;;) {
    const t = await timings(page);
    if (Date.now() - t.lastAt >= quietMs) return t;
    await page.waitForTimeout(100);
  }
}

/** Reads the board's SSE stream over HTTP and records, per stamped row in a delta, now − stamp. */
async function sseStamps(
  url: string,
): Promise<{ latencies: number[]; snapshot: Promise<void>; closed: () => boolean; close(): void }> {
  const latencies: number[] = [];
  let snapshotRead: () => void = () => {};
  const snapshot = new Promise<void>((resolve) => {
    snapshotRead = resolve;
  });
  let closing = false;
  let closed = false;
  const res = await new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).on('error', reject));
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
  res.setEncoding('utf8');
  let buffer = '';
  res.on('data', (chunk: string) => {
    // look for an event's end only in what is new: the 10 MB snapshot comes in many chunks
    const from = Math.max(0, buffer.length - 1);
    buffer += chunk;
    if (buffer.indexOf('\n\n', from) < 0) return;
    const end = buffer.lastIndexOf('\n\n');
    const now = Date.now();
    for (const event of buffer.slice(0, end).split('\n\n')) {
      // the snapshot holds the earlier stream's stamps: only deltas are measured
      if (!event.includes('event: delta')) continue;
      for (const m of event.matchAll(/"note":"t(\d+)"/g)) latencies.push(now - Number(m[1]));
    }
    snapshotRead();
    buffer = buffer.slice(end + 2);
  });
  res.on('error', () => {}); // destroyed at close(), or by the board
  res.on('close', () => {
    closed = !closing;
  });
  return {
    latencies,
    snapshot,
    closed: () => closed,
    close: () => {
      closing = true;
      res.destroy();
    },
  };
}

const LATE_JOINERS = 3;
interface LateJoin {
  dropped: boolean;
  afterMs: number;
  bytes: number;
}

/** Opens the stream and reads it at full speed for `forMs`: was it closed by the board meanwhile? */
async function lateJoin(url: string, forMs: number): Promise<LateJoin> {
  const t0 = Date.now();
  const res = await new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).on('error', reject));
  let bytes = 0;
  res.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  res.on('error', () => {});
  const dropped = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), forMs);
    res.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  res.destroy();
  return { dropped, afterMs: Date.now() - t0, bytes };
}

describe('board throughput benchmark', () => {
  let mosquitto: Mosquitto;
  let board: Probed | undefined;
  let browser: Browser | undefined;
  let retained = 0;

  beforeAll(async () => {
    await buildProduct();
    mosquitto = await startMosquitto();
    retained = await publishRetained(mosquitto.url, { directory: true });
  });

  afterAll(async () => {
    await browser?.close();
    await board?.stop();
    await stopChildren();
    await mosquitto?.dispose();
  });

  it(`${RATE} changes/s for 10 s: publish → DOM p99 and RSS at 50,000 people, against a bare subscriber`, async () => {
    // (a) the bare transport: the same stream into a plain mqtt.js subscriber
    const bare: number[] = [];
    const client = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4, clean: true });
    client.on('message', (_topic, payload) => {
      const now = Date.now();
      const stamp = stampOf(JSON.parse(payload.toString()).note);
      if (!Number.isNaN(stamp)) bare.push(now - stamp);
    });
    await client.subscribeAsync(presenceFilter, { qos: 1 });
    const bareCpu0 = process.cpuUsage();
    const bareStream = await runStream({
      url: mosquitto.url,
      rate: RATE,
      seconds: SECONDS,
      watchedEvery: WATCHED_EVERY,
      seqBase: 0,
    }).done;
    await expect.poll(() => bare.length, { timeout: 30_000 }).toBe(bareStream.sent);
    const bareCpu = process.cpuUsage(bareCpu0);
    await client.endAsync();

    // the raw transport holding the same 50,000 people: the floor under the board's memory
    const raw = await rawHolder(mosquitto.url, retained);
    const rawMemory = await raw.memory();
    await raw.stop();

    // (b) the board as shipped, in its own process, with the page open and narrowed to the watched department
    const port = await freePort();
    board = boardProcess(mosquitto.url, port);
    const url = `http://127.0.0.1:${port}/`;
    await expect
      .poll(() => health(url).catch(() => undefined), { timeout: 60_000, interval: 200 })
      .toMatchObject({ people: PEOPLE, applied: retained });
    // the SSE stream as a plain HTTP client sees it: the board's share, without the browser
    const sse = await sseStamps(new URL('/api/stream', url).href);
    await sse.snapshot;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await openBoard(page, url);
    await page.keyboard.type('mätgruppen');
    await expect.poll(() => page.textContent('[data-testid="hits"]')).toBe(`${WATCHED} / ${PEOPLE}`);
    const boardIdle = await board.memory();
    await resetTimings(page);
    const readPageCpu = await pageCpuMeter(page);
    const pageCpu0 = await readPageCpu();
    const boardCpu0 = board.cpuMs();
    const stopProfile = PAGE_PROFILE ? await profilePage(page) : undefined;

    const stream = await runStream({
      url: mosquitto.url,
      rate: RATE,
      seconds: SECONDS,
      watchedEvery: WATCHED_EVERY,
      seqBase: 1_000_000,
    }).done;
    await expect
      .poll(() => health(url), { timeout: 30_000, interval: 200 })
      .toMatchObject({ applied: retained + stream.sent });
    const page1 = await drained(page, 500);
    const pageCpu1 = await readPageCpu();
    const boardCpuMs = board.cpuMs() - boardCpu0;
    if (stopProfile && PAGE_PROFILE) {
      const profile = await stopProfile();
      await writeFile(PAGE_PROFILE, JSON.stringify(profile));
      console.log('[bench] page CPU over the stream by stage (ms)', splitByStage(profile, PAGE_STAGES));
    }
    const perChange = (ms: number) => round((ms * 1000) / stream.sent);
    const sseDropped = sse.closed();
    sse.close();
    const boardLoaded = await board.memory();
    if (board.log()) console.log('[bench] board stderr (tail)\n', board.log().slice(-1500));
    const rowsInDom = await page.locator('#list [data-testid="row"]:not([hidden])').count();

    // (c) after the measurement, with traffic still flowing: does a client that connects now get its
    // snapshot (about 10 MB for 50,000 people) and stay connected?
    const late = runStream({
      url: mosquitto.url,
      rate: RATE,
      seconds: 4,
      watchedEvery: WATCHED_EVERY,
      seqBase: 2_000_000,
    });
    // traffic is flowing once the board has applied some of it (the publisher's start alone can take
    // the poll's default second on a loaded machine)
    await expect
      .poll(async () => (await health(url)).applied, { interval: 100, timeout: 30_000 })
      .toBeGreaterThan(retained + stream.sent + 1000);
    const lateJoiners: LateJoin[] = [];
    for (let i = 0; i < LATE_JOINERS; i++)
      lateJoiners.push(await lateJoin(new URL('/api/stream', url).href, 1500));
    await late.done;
    console.log('[bench] clients joining during the stream', lateJoiners);

    const measured = {
      ...summary('publishToSse', sse.latencies),
      ...summary('publishToPage', page1.stream),
      ...summary('publishToDom', page1.dom),
      sentPerSecond: round(stream.sent / (stream.elapsedMs / 1000)),
      boardRssMB: round(boardLoaded.rssMB),
      boardRssBeforeStreamMB: round(boardIdle.rssMB),
      boardPrivateMB: round(boardLoaded.privateMB),
      boardHeapMB: round(boardLoaded.heapMB),
      rowsInDom,
      // the shared machine's 1-minute load average at the end (2 cores): the figures are wall-clock
      lateJoinersDropped: lateJoiners.filter((j) => j.dropped).length,
      lateJoinerBytesMax: Math.max(...lateJoiners.map((j) => j.bytes)),
      machineLoad1m: round(loadavg()[0] ?? 0, 2),
      pageLongTasks: page1.longTasks.length,
      pageLongTaskMsMax: round(Math.max(0, ...page1.longTasks)),
      pageLongTaskMsTotal: round(page1.longTasks.reduce((a, b) => a + b, 0)),
      pageTaskUsPerChange: perChange(pageCpu1.taskMs - pageCpu0.taskMs),
      pageScriptUsPerChange: perChange(pageCpu1.scriptMs - pageCpu0.scriptMs),
      pageLayoutUsPerChange: perChange(pageCpu1.layoutMs - pageCpu0.layoutMs),
      pageStyleUsPerChange: perChange(pageCpu1.styleMs - pageCpu0.styleMs),
      boardCpuUsPerChange: perChange(boardCpuMs),
    };
    const baseline = {
      // the bare subscriber's delivery is the floor under every publish → … figure
      ...summary('publishToSse', bare),
      ...summary('publishToPage', bare),
      ...summary('publishToDom', bare),
      sentPerSecond: round(bareStream.sent / (bareStream.elapsedMs / 1000)),
      // a bare mqtt.js process holding every retained message's bytes by topic
      boardRssMB: round(rawMemory.rssMB),
      boardPrivateMB: round(rawMemory.privateMB),
      boardHeapMB: round(rawMemory.heapMB),
      boardCpuUsPerChange: round(((bareCpu.user + bareCpu.system) / 1000 / bareStream.sent) * 1000),
    };
    await writeBenchResult(NAME, measured, baseline, {
      publishToDomMsP99: '≤ 50 ms',
      boardRssMB: '≤ 300 MB with 50,000 people',
    });
    // the run measured what it claims: every change reached the board, some were seen in view
    expect(page1.dom.length).toBeGreaterThan(100);
    expect(sseDropped).toBe(false);
    expect(lateJoiners).toHaveLength(LATE_JOINERS);
    expect(page1.stream.length).toBeGreaterThan(stream.sent / 10);
  });
});
