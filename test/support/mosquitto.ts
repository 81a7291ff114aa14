// Starts a real Mosquitto (Debian package) on a free loopback port with its own config, for
// integration tests. Each instance has its own temp dir; stop() removes it.
import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exited, spawnServer } from './server-process.js';

const run = promisify(execFile);

const BINARY = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p)) ?? 'mosquitto';

export interface MosquittoOptions {
  /** keep retained messages across restart() (written to the temp dir) */
  persistence?: boolean;
  /** username → password: the broker admits only these (a password_file made with mosquitto_passwd) */
  users?: Record<string, string>;
  /** extra mosquitto.conf lines */
  config?: string[];
  /** name → server certificate: one TLS listener each on its own free port (`tlsUrls[name]`) */
  tls?: Record<string, { certFile: string; keyFile: string }>;
}

export interface Mosquitto {
  url: string;
  port: number;
  /** `mqtts://127.0.0.1:PORT` of each TLS listener asked for in the options */
  tlsUrls: Record<string, string>;
  /** stops the broker; start() brings it back on the same port */
  stop(): Promise<void>;
  /** SIGKILL, as a crash or power cut would */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** stops and removes the temp dir */
  dispose(): Promise<void>;
  log(): string;
  /** the running broker's process id (benchmarks read its CPU time from /proc) */
  pid(): number | undefined;
  /** where a broker with `persistence` keeps its store; removing it while stopped starts it empty */
  storeFile: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port (readiness probe, not a sleep). */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A Mosquitto password file made by mosquitto_passwd itself (the embedded broker reads it too). */
export async function writePasswordFile(path: string, users: Record<string, string>): Promise<void> {
  for (const [i, [user, password]] of Object.entries(users).entries())
    await run('mosquitto_passwd', [...(i === 0 ? ['-c'] : []), '-b', path, user, password]);
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-mosquitto-'));
  const port = await freePort();
  const logins = Object.entries(options.users ?? {});
  const passwordFile = join(dir, 'passwd');
  await writePasswordFile(passwordFile, options.users ?? {});
  const tlsUrls: Record<string, string> = {};
  const tlsLines: string[] = [];
  for (const [name, cert] of Object.entries(options.tls ?? {})) {
    const tlsPort = await freePort();
    tlsUrls[name] = `mqtts://127.0.0.1:${tlsPort}`;
    tlsLines.push(`listener ${tlsPort} 127.0.0.1`, `certfile ${cert.certFile}`, `keyfile ${cert.keyFile}`);
  }
  const lines = [
    // global options first: per_listener_settings is off, so they hold for the TLS listeners too
    `listener ${port} 127.0.0.1`,
    // as root, mosquitto would drop to user 'mosquitto', who cannot write our temp dir
    `user ${userInfo().username}`,
    'allow_anonymous true',
    'set_tcp_nodelay true',
    // 0 = no limit: the default caps retained QoS 1 delivery to a new subscriber.
    'max_queued_messages 0',
    'max_inflight_messages 0',
    `persistence ${options.persistence ? 'true' : 'false'}`,
    `persistence_location ${dir}/`,
    'autosave_interval 0',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    ...(logins.length ? ['allow_anonymous false', `password_file ${passwordFile}`] : []),
    ...(options.config ?? []),
    ...tlsLines,
  ];
  const confPath = join(dir, 'mosquitto.conf');
  await writeFile(confPath, `${lines.join('\n')}\n`);
  let child: ChildProcess | undefined;
  const log = { output: '' };

  const instance: Mosquitto = {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    tlsUrls,
    async start() {
      if (child) return;
      const proc = await spawnServer('mosquitto', BINARY, ['-c', confPath], log, () => waitForPort(port));
      proc.once('exit', () => {
        if (child === proc) child = undefined;
      });
      if (proc.exitCode === null && proc.signalCode === null) child = proc;
    },
    async stop() {
      const proc = child;
      if (!proc) return;
      child = undefined;
      proc.kill('SIGTERM');
      await exited(proc);
    },
    async kill() {
      const proc = child;
      if (!proc) return;
      child = undefined;
      proc.kill('SIGKILL');
      await exited(proc);
    },
    async dispose() {
      await instance.stop();
      await rm(dir, { recursive: true, force: true });
    },
    log: () => log.output,
    pid: () => child?.pid,
    storeFile: join(dir, 'mosquitto.db'),
  };
  await instance.start();
  return instance;
}
