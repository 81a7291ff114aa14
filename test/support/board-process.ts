// `hanvisa board` as shipped (dist/), in a process of its own, so a test can SIGKILL it: no close(), no
// MQTT DISCONNECT, its HTTP connections reset, exactly what a crashed or powered-off host leaves.
import type { ChildProcess } from 'node:child_process';
import { HANVISA } from './build-product.js';
import { exited, spawnServer } from './server-process.js';

export interface BoardProcess {
  url: string;
  /** everything it printed, for the test's error messages */
  readonly output: string;
  /** SIGKILL, resolved once the process is gone */
  kill(): Promise<void>;
}

/** Starts the board with `args` (`--port 0` picks a free port); resolves once it prints its address. */
export async function startBoardProcess(args: string[]): Promise<BoardProcess> {
  const log = { output: '' };
  let url = '';
  const proc: ChildProcess = await spawnServer(
    'hanvisa board',
    process.execPath,
    [HANVISA, 'board', ...args],
    log,
    (child) =>
      new Promise<void>((resolve) => {
        const seen = () => {
          const found = /^board (http:\/\/\S+)$/m.exec(log.output);
          if (!found?.[1]) return;
          url = found[1];
          child.stdout?.off('data', seen);
          resolve();
        };
        child.stdout?.on('data', seen);
      }),
    { env: { ...process.env, HANVISA_LOG: 'warn' } },
  );
  return {
    url,
    get output() {
      return log.output;
    },
    async kill() {
      proc.kill('SIGKILL');
      await exited(proc);
    },
  };
}
