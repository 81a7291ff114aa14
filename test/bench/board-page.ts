// What the board benchmarks inject into the page (playwright addInitScript, before the page's own
// scripts): timings the page records itself, read back with page.evaluate. Plain JS strings, since
// they run in the browser.
import type { Page } from 'playwright-core';
import type { CpuProfile, Stage } from '../support/cpu-profile-stages.js';

/**
 * - firstRow: performance.now() (ms since navigation start) when the first list row is in the DOM;
 *   snapshot: when the page's snapshot fetch had its last byte (before the page parses it), its bytes.
 * - keys: per keystroke, keydown → the first animation frame after the input event, i.e. after the
 *   page's own render of that frame (its rAF was requested earlier, in its own input listener).
 * - stream: per row in a delta that carries a stamp ("t<Date.now() at publish>" in its note), the
 *   page's Date.now() on arrival minus the stamp (same machine, same clock).
 * - dom: per stamp that appears in a visible row's alternative ("Info: t<stamp>"), Date.now() when it
 *   appeared minus the stamp.
 */
export const INSTRUMENT = `
(() => {
  const bench = (window.__bench = { firstRow: undefined, snapshot: undefined, snapshotBytes: 0, keys: [], stream: [], dom: [], longTasks: [], lastAt: 0 });
  // main-thread tasks over 50 ms: what holds up the page's handling of events
  new PerformanceObserver((list) => { for (const e of list.getEntries()) bench.longTasks.push(e.duration); }).observe({ type: 'longtask' });
  let keydownAt;
  document.addEventListener('keydown', (e) => { if (e.key.length === 1) keydownAt = e.timeStamp; }, true);
  // bubbles to window after the search box's own listener has scheduled the page's render. A
  // character the keyboard layout lacks (å ä ö) comes as text input without a keydown: from the input.
  window.addEventListener('input', (e) => {
    const start = keydownAt ?? e.timeStamp;
    keydownAt = undefined;
    requestAnimationFrame(() => bench.keys.push(performance.now() - start));
  });
  // the page fetches its snapshot (stream-open.ts): when its last byte arrived, and its size
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (!e.name.includes('/api/snapshot')) continue;
      bench.snapshot ??= e.responseEnd;
      bench.snapshotBytes ||= e.decodedBodySize;
    }
  }).observe({ type: 'resource' });
  const Native = window.EventSource;
  if (Native) {
    window.EventSource = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('delta', (e) => {
          const now = Date.now();
          for (const m of e.data.matchAll(/"note":"t(\\d+)"/g)) bench.stream.push(now - Number(m[1]));
          bench.lastAt = now;
        });
      }
    };
  }
  const shown = new Map();
  new MutationObserver(() => {
    if (bench.firstRow === undefined && document.querySelector('#list [data-testid="row"]')) {
      bench.firstRow = performance.now();
    }
    const now = Date.now();
    for (const row of document.querySelectorAll('#list [data-testid="row"]:not([hidden])')) {
      const m = /t(\\d+)/.exec(row.querySelector('.c-alt')?.textContent ?? '');
      if (!m) continue;
      const stamp = Number(m[1]);
      if (shown.get(row.dataset.key) === stamp) continue;
      shown.set(row.dataset.key, stamp);
      bench.dom.push(now - stamp);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();
`;

export interface PageTimings {
  firstRow: number | undefined;
  snapshot: number | undefined;
  snapshotBytes: number;
  keys: number[];
  stream: number[];
  dom: number[];
  longTasks: number[];
  lastAt: number;
}

/** Opens the board in `page` with the instrumentation above and waits for its first row on screen. */
export async function openBoard(page: Page, url: string): Promise<void> {
  await page.addInitScript(INSTRUMENT);
  await page.goto(url);
  await page.waitForFunction(
    () => (window as unknown as { __bench: { firstRow?: number } }).__bench.firstRow !== undefined,
    null,
    { timeout: 30_000 },
  );
}

export function timings(page: Page): Promise<PageTimings> {
  return page.evaluate(() => (window as unknown as { __bench: PageTimings }).__bench);
}

/** Forgets what was recorded so far (the start of a measured window). */
export function resetTimings(page: Page): Promise<void> {
  return page.evaluate(() => {
    const b = (window as unknown as { __bench: PageTimings }).__bench;
    b.keys.length = 0;
    b.stream.length = 0;
    b.dom.length = 0;
    b.longTasks.length = 0;
  });
}

/** The page's main-thread time so far, in ms, as Chromium counts it (CPU, not waiting for a core). */
export interface PageCpu {
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
}

/** Reads the page's main-thread totals through Chromium's Performance domain (CDP), each call. */
export async function pageCpuMeter(page: Page): Promise<() => Promise<PageCpu>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const ms = (name: string) => (metrics.find((m) => m.name === name)?.value ?? Number.NaN) * 1000;
    return {
      taskMs: ms('TaskDuration'),
      scriptMs: ms('ScriptDuration'),
      layoutMs: ms('LayoutDuration'),
      styleMs: ms('RecalcStyleDuration'),
    };
  };
}

/** Starts a CPU profile of the page's main thread (CDP Profiler); the function returned ends it. */
export async function profilePage(page: Page): Promise<() => Promise<CpuProfile>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  return async () => {
    const { profile } = await cdp.send('Profiler.stop');
    return { nodes: profile.nodes, samples: profile.samples ?? [], timeDeltas: profile.timeDeltas ?? [] };
  };
}

/** The board page's stages by function name (any script: the bundle today, the modules of old commits). */
const pageStage = (name: string, ...functions: string[]): Stage => ({
  name,
  frames: functions.map((functionName) => ({ functionName, urlEndsWith: '' })),
});
export const PAGE_STAGES: readonly Stage[] = [
  pageStage('refilter', 'refilter'),
  pageStage('renderList', 'renderList'),
  pageStage('searchText', 'searchText'),
  pageStage('applyDeltas', 'applyDeltas'),
  pageStage('fillRow', 'fillRow'),
  pageStage('chrome', 'renderChrome', 'renderDetail', 'renderDepartmentPanel'),
];
