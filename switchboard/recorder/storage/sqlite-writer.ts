// SQLite's event inserts on a worker thread of their own (issue 26): better-sqlite3 is synchronous, and
// its inserts (three indexes, one of them on a random key) took ~9 µs of CPU an event on the thread
// that also takes every message off the socket. The worker owns a second connection to the same WAL
// file and appends a batch (one transaction, the marks last, as before); the batch's promise settles
// when that transaction has committed or failed, so "nothing lost" holds: a refused batch stays in the
// recorder's queue (event-batch.ts). Started on the first append, so a reader never starts one.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { RecordedEvent } from '../recorded-events.js';
import { eventValues, ordRange } from './rows-sql.js';

/** Plain JS (the worker runs the same in vitest and from dist/); rows come flat, 7 values an event. */
const WRITER = `
const { parentPort, workerData: w } = require('node:worker_threads');
const Database = require(w.driver);
const db = new Database(w.path, { timeout: w.timeoutMs });
db.pragma('synchronous = NORMAL');
const insert = db.prepare(w.insertSql);
const marks = db.prepare(w.marksSql);
const append = db.transaction((rows, high, low) => {
  let added = 0;
  for (let i = 0; i < rows.length; i += 7)
    added += insert.run(rows[i], rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4], rows[i + 5], rows[i + 6]).changes;
  marks.run(high, low);
  return added;
});
parentPort.on('message', ({ rows, high, low }) => {
  try {
    parentPort.postMessage({ added: append(rows, high, low) });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message) });
  }
});
`;

export interface WriterOptions {
  path: string;
  timeoutMs: number;
  insertSql: string;
  /** marksUpsert's SQL: parameters the batch's highest and lowest receipt order */
  marksSql: string;
}

interface Waiting {
  resolve: (added: number) => void;
  reject: (e: Error) => void;
}

export class SqliteWriter {
  private worker: Worker | undefined;
  /** answers come back in the order the batches went */
  private readonly waiting: Waiting[] = [];

  constructor(private readonly options: WriterOptions) {}

  /** Appends the events in one transaction on the worker; resolves with how many were new. */
  append(events: readonly RecordedEvent[]): Promise<number> {
    // flat primitives: the structured clone to the worker costs far less than for the events' objects
    const rows = events.flatMap(eventValues);
    const [high, low] = ordRange(events);
    const worker = this.started();
    // held only while a batch is out: an idle writer does not keep the process alive
    worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      worker.postMessage({ rows, high, low });
    });
  }

  /** Ends the worker once every batch sent has its answer (the recorder awaits its appends first). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const { path, timeoutMs, insertSql, marksSql } = this.options;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WRITER, {
      eval: true,
      workerData: { driver, path, timeoutMs, insertSql, marksSql },
    });
    worker.on('message', (m: { added?: number; error?: string }) => {
      const w = this.waiting.shift();
      if (this.waiting.length === 0) worker.unref();
      if (m.error === undefined) w?.resolve(m.added ?? 0);
      else w?.reject(new Error(m.error));
    });
    // a worker that dies fails what it held; the next append starts a new one
    const died = (e: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`the SQLite writer stopped (exit ${code})`)));
    this.worker = worker;
    return worker;
  }
}
