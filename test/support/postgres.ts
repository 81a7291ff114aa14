// Starts a real PostgreSQL (Debian package) for tests, as test/support/mosquitto.ts starts Mosquitto:
// initdb into a temp dir, a free loopback port, the unix socket in that dir, trust auth on loopback.
// PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user the
// package creates and every server command runs through runuser.
import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from './mosquitto.js';
import { exited, spawnServer } from './server-process.js';

const run = promisify(execFile);

/** The newest installed server's bin dir (Debian: /usr/lib/postgresql/15/bin). */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL server not installed (scripts/ensure-system-deps.sh installs it)');
  return join(root, newest, 'bin');
}

export interface Postgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** A fresh empty database on this server, for one test's isolation; returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
  log(): string;
}

export async function startPostgres(): Promise<Postgres> {
  const bin = binDir();
  const asRoot = userInfo().uid === 0;
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-postgres-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const as = (command: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]] : [join(bin, command), args];
  const [initCmd, initArgs] = as('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  await run(initCmd, initArgs, { cwd: dir });
  const port = await freePort();
  let child: ChildProcess | undefined;
  const log = { output: '' };
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const instance: Postgres = {
    url,
    port,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad database name ${name}`);
      const [cmd, args] = as('psql', [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-c',
        `CREATE DATABASE ${name}`,
      ]);
      await run(cmd, args, { cwd: dir });
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async start() {
      if (child) return;
      const [cmd, args] = as('postgres', [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        // a test server: speed over durability (the benches say so in their output)
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ]);
      await spawnServer(
        'postgres',
        cmd,
        args,
        log,
        async (proc) => {
          child = proc;
          proc.once('exit', () => {
            if (child === proc) child = undefined;
          });
          await waitForPort(port, 30_000);
          // accepting TCP is not yet accepting queries: pg_isready says "rejecting" (exit 1) during startup
          const [ready, readyArgs] = as('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-t', '5']);
          const deadline = Date.now() + 60_000;
          for (;;) {
            const ok = await run(ready, readyArgs, { cwd: dir }).then(
              () => true,
              () => false,
            );
            if (ok) break;
            if (Date.now() > deadline || child !== proc)
              throw new Error(`postgres not ready:\n${log.output}`);
            await new Promise((r) => setTimeout(r, 100));
          }
        },
        { cwd: dir },
      );
    },
    async stop() {
      const proc = child;
      if (!proc) return;
      child = undefined;
      // pg_ctl as the cluster's owner: runuser does not pass every signal on to the server
      const [cmd, args] = as('pg_ctl', ['-D', data, 'stop', '-m', 'fast', '-w']);
      await run(cmd, args, { cwd: dir }).catch(() => proc.kill('SIGKILL'));
      await exited(proc);
    },
    async dispose() {
      await instance.stop();
      await rm(dir, { recursive: true, force: true });
    },
    log: () => log.output,
  };
  await instance.start();
  return instance;
}
