// Issue 24: `npm start` as a process manager or an IDE runs it. A SIGINT or SIGTERM to npm's PID
// stops the product (npm forwards it; the start script execs node, so no shell is left to swallow
// it); a busy port or a data directory in use is refused with what to do, not quietly worked
// around; the banner stays clean (the log goes to a file in the data directory).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { HANVISA, ROOT } from '../support/build-product.js';
import { exited, spawnServer } from '../support/server-process.js';

let dir: string;
const children: ChildProcess[] = [];
// the children log at info (vitest silences the logger by default, and children inherit that)
const env = { ...process.env, HANVISA_LOG: 'info' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-start-'));
});
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

const FREE = ['--broker-port', '0', '--board-port', '0', '--desks-port', '0', '--staff-port', '0'];

/** `npm start` with `args`, once its banner is out. */
async function npmStart(args: string[]) {
  const log = { output: '' };
  const child = await spawnServer(
    'npm start',
    'npm',
    ['start', '--', ...args],
    log,
    (proc) =>
      new Promise<void>((resolve) => {
        const seen = () => log.output.includes('Press Ctrl-C to stop.') && resolve();
        proc.stdout?.on('data', seen);
      }),
    { cwd: ROOT, env },
  );
  children.push(child);
  return { child, log };
}

/**
 * `hanvisa start` as built, to its exit. A start that should have refused but runs on is killed after
 * `deadlineMs`, so the test fails with what it said (and a retry finds nothing of it left) rather than
 * at the test's own timeout with the child still holding its ports.
 */
function hanvisaStart(args: string[], deadlineMs = 15_000): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [HANVISA, 'start', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const deadline = setTimeout(() => {
    stderr += `\n(still running after ${deadlineMs} ms: killed)`;
    child.kill('SIGKILL');
  }, deadlineMs);
  return exited(child).then(() => {
    clearTimeout(deadline);
    return { code: child.exitCode, stderr };
  });
}

const gone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
};

it.each(['SIGINT', 'SIGTERM'] as const)(
  '%s to npm stops the product, whose banner is clean',
  async (signal) => {
    const data = join(dir, signal);
    const { child, log } = await npmStart([...FREE, '--data', data]);
    // the product's PID is in its data directory's lock
    const pid = Number(readFileSync(join(data, 'lock'), 'utf8'));
    expect(gone(pid)).toBe(false);
    const banner = log.output.slice(log.output.indexOf('hanvisa is running.'));
    expect(banner).toContain(`Data:              ${data}`);
    // the staff page and its demo logins (README's demo section)
    expect(banner).toMatch(
      /Staff page: {8}http:\/\/127\.0\.0\.1:\d+\/staff\/ {3}\(log in as anna \(2001\), .*; password demo\)/,
    );
    expect(banner).not.toContain('"level"');
    expect(readFileSync(join(data, 'hanvisa.log'), 'utf8')).toContain('"embedded broker listening"');

    child.kill(signal);
    await exited(child);
    await vi.waitFor(() => expect(gone(pid)).toBe(true), { timeout: 10_000 });
    expect(existsSync(join(data, 'lock')), log.output).toBe(false); // an orderly stop
  },
);

it('refuses a busy port and a data directory another copy runs in, saying what to do', async () => {
  const data = join(dir, 'first');
  const { child, log } = await npmStart([...FREE, '--data', data]);
  const boardPort = /Operators' board: {2}http:\/\/127\.0\.0\.1:(\d+)\//.exec(log.output)?.[1];
  expect(boardPort).toBeDefined();

  const busy = await hanvisaStart([
    '--broker-port',
    '0',
    '--desks-port',
    '0',
    '--staff-port',
    '0',
    '--board-port',
    `${boardPort}`,
  ]);
  expect(busy.code).toBe(1);
  expect(busy.stderr).toContain(
    `port ${boardPort} on 127.0.0.1 (--board-port) is in use, perhaps by another hanvisa start: ` +
      'stop what holds it, or choose another with --board-port PORT (0 picks a free one)',
  );
  const pid = readFileSync(join(data, 'lock'), 'utf8').trim();
  const shared = await hanvisaStart([...FREE, '--data', data]);
  expect(shared.code).toBe(1);
  expect(shared.stderr).toContain(
    `the data directory ${data} is in use by another hanvisa start (PID ${pid})`,
  );
  // the first copy never noticed
  expect(readFileSync(join(data, 'lock'), 'utf8').trim()).toBe(pid);

  child.kill('SIGINT');
  await exited(child);
});

it('refuses the default broker port when it is busy', async () => {
  // Held by this test, so it stays busy throughout: a copy another test started may still be letting it
  // go, and a start that found it free would run until the timeout instead of refusing.
  const holder: Server = await vi.waitFor(
    () =>
      new Promise<Server>((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(1883, '127.0.0.1', () => resolve(server));
      }),
    { timeout: 20_000, interval: 250 },
  );
  try {
    const result = await hanvisaStart([
      '--board-port',
      '0',
      '--desks-port',
      '0',
      '--staff-port',
      '0',
      '--data',
      join(dir, 'default'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('port 1883 on 127.0.0.1 (--broker-port) is');
    expect(result.stderr).toContain('--broker-port PORT');
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
}, 45_000);
