// The parent's side of desks-worker.mjs: one worker process (desk agents and bare mqtt.js subscribers
// from dist/) and its request/answer pairs over IPC. Used by desks-1000 and agent-queue benchmarks.
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../support/build-product.js';

const WORKER = join(ROOT, 'test', 'bench', 'desks-worker.mjs');

/** A worker process and its request/answer pairs over IPC. */
export class DeskWorker {
  private next = 0;
  private waiting = new Map<
    number | string,
    { resolve: (m: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  private stderr = '';
  constructor(readonly proc: ChildProcess) {
    proc.stderr?.on('data', (d) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
    proc.on('message', (m: { type: string; id?: number; error?: string }) => {
      const key = m.id ?? m.type;
      const waiter = this.waiting.get(key);
      this.waiting.delete(key);
      if (m.type === 'error') waiter?.reject(new Error(`worker: ${m.error}\n${this.stderr}`));
      else waiter?.resolve(m);
    });
    proc.once('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`worker exited ${code}: ${this.stderr}`));
    });
  }
  /** `script`: another build's desks-worker.mjs (its own dist/), to compare two builds in one run */
  static async spawn(script = WORKER): Promise<DeskWorker> {
    const w = new DeskWorker(fork(script, [], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] }));
    await w.answer('loaded');
    return w;
  }
  private answer(key: number | string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => this.waiting.set(key, { resolve, reject }));
  }
  /** sends a message; resolves with the reply of type `reply` (or with the same id) */
  ask<T>(message: Record<string, unknown>, reply?: string): Promise<T> {
    const id = this.next++;
    const answered = this.answer(reply ?? id);
    this.proc.send({ ...message, id });
    return answered as Promise<T>;
  }
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.send({ type: 'stop' });
    await exited;
  }
}
