// What the test servers (Mosquitto, Kamailio, PostgreSQL, Radicale, RabbitMQ) share about their process: spawned with its output kept
// for the test's error messages, started once the server's own readiness probe answers (or failed
// with that output when it exits first), and awaited until it has exited.
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

export function exited(proc: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
}

/**
 * Spawns `command`, appending its stdout and stderr to `log`; resolves once `ready` does. `ready` gets
 * the process, to stop probing once it is gone.
 */
export async function spawnServer(
  name: string,
  command: string,
  args: string[],
  log: { output: string },
  ready: (proc: ChildProcess) => Promise<void>,
  options: SpawnOptions = {},
): Promise<ChildProcess> {
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  proc.stdout?.on('data', (d) => {
    log.output += d;
  });
  proc.stderr?.on('data', (d) => {
    log.output += d;
  });
  await Promise.race([
    ready(proc),
    exited(proc).then(() => {
      throw new Error(`${name} exited at start:\n${log.output.slice(-4000)}`);
    }),
  ]);
  return proc;
}
