// Preloaded (`node --import`) into the benchmark's child processes: counts every timer callback that
// fires (the process's wake-ups) with the delay it was armed for, and answers over the IPC channel.
// Plain JS because the child runs the built product from dist/, not TypeScript.
//   {type:'mark'}   → forget the counts so far (start of the idle window)
//   {type:'report'} → {rssMB, privateMB, heapMB, cpuMs, fired: {delayMs: count}, active: {resource: count}}
import { readFileSync } from 'node:fs';

const fired = new Map();
let cpuMark = process.cpuUsage();

/** Memory only this process holds (RSS less the node binary's pages shared with other processes), Linux. */
function privateMB() {
  try {
    const rollup = readFileSync('/proc/self/smaps_rollup', 'utf8');
    const kB = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
    return (kB('Private_Clean') + kB('Private_Dirty')) / 1024;
  } catch {
    return Number.NaN;
  }
}

function counted(fn, delay) {
  const key = Math.round(Number(delay) || 0);
  return function (...args) {
    fired.set(key, (fired.get(key) ?? 0) + 1);
    return fn.apply(this, args);
  };
}

const { setTimeout: realTimeout, setInterval: realInterval } = globalThis;
globalThis.setTimeout = (fn, delay, ...args) =>
  realTimeout(typeof fn === 'function' ? counted(fn, delay) : fn, delay, ...args);
globalThis.setInterval = (fn, delay, ...args) =>
  realInterval(typeof fn === 'function' ? counted(fn, delay) : fn, delay, ...args);

process.on('message', (msg) => {
  if (msg?.type === 'mark') {
    fired.clear();
    cpuMark = process.cpuUsage();
    process.send?.({ type: 'marked' });
  } else if (msg?.type === 'report') {
    const cpu = process.cpuUsage(cpuMark);
    const active = {};
    for (const r of process.getActiveResourcesInfo()) active[r] = (active[r] ?? 0) + 1;
    const mem = process.memoryUsage();
    process.send?.({
      type: 'report',
      rssMB: mem.rss / 2 ** 20,
      privateMB: privateMB(),
      heapMB: mem.heapUsed / 2 ** 20,
      cpuMs: (cpu.user + cpu.system) / 1000,
      fired: Object.fromEntries(fired),
      active,
    });
  }
});
// The channel must not keep a finished process alive; the product's own handles decide that.
process.channel?.unref();
