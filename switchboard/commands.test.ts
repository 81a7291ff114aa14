import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { UsageError } from '../cli/usage-error.js';
import { linesContext } from '../test/support/command.js';
import { hashPassword } from './auth/index.js';
import { boardCommand } from './board/command.js';
import { brokerCommand } from './broker/command.js';
import { calendarCommand } from './calendar/command.js';
import { notifyCommand } from './notify/command.js';
import { orgCommand } from './org/command.js';
import { recordCommand } from './recorder/command.js';
import { simulateCommand } from './simulator/command.js';

describe("the switchboard's commands", () => {
  it('prints help and does nothing else', async () => {
    for (const command of [
      brokerCommand,
      boardCommand,
      simulateCommand,
      recordCommand,
      orgCommand,
      calendarCommand,
      notifyCommand,
    ]) {
      const lines: string[] = [];
      await command(['--help'], linesContext({ out: (l) => lines.push(l) }));
      expect(lines.join('\n')).toMatch(/^Usage: hanvisa (broker|board|simulate|record|org|calendar|notify)/);
    }
  });

  it('refuses bad usage with a reason', async () => {
    const cases: [typeof brokerCommand, string[], RegExp][] = [
      [brokerCommand, ['--port', '70000'], /--port must be 0-65535/],
      [brokerCommand, ['--bogus'], /^unknown option --bogus\n\nUsage: hanvisa broker/],
      [boardCommand, ['--usres', 'u.json'], /^unknown option --usres \(did you mean --users\?\)\n/],
      [boardCommand, ['--org', 'Bad Org', '--port', '0'], /--org "Bad Org"/],
      [boardCommand, ['--broker', 'http://x', '--port', '0'], /--broker must be a URL/],
      [boardCommand, ['--broker', 'mqtt://a:1883,wss://b', '--port', '0'], /must all be mqtt:\/\//],
      [boardCommand, ['--trust-proxy', '--port', '0'], /--trust-proxy needs --users/],
      [boardCommand, ['--stats', 'r.db', '--stats-min-group', '0'], /--stats-min-group: a number of people/],
      [boardCommand, ['--stats-min-group', '5', '--port', '0'], /--stats-min-group: .*with --stats/],
      [
        boardCommand,
        ['--notify-url', 'https://x.se/notify/', '--port', '0'],
        /--notify-url and --notify-secret-file go together/,
      ],
      [
        boardCommand,
        ['--notify-url', 'ftp://x.se/', '--notify-secret-file', 'f', '--port', '0'],
        /--notify-url: an http or https/,
      ],
      [simulateCommand, ['--seed', '1e3'], /--seed must be a whole number/],
      [simulateCommand, ['extra'], /Unexpected argument 'extra'/],
      [recordCommand, ['--retention-days', '0'], /--retention-days must be 1-9999/],
      [recordCommand, ['--org', 'Bad Org'], /--org "Bad Org"/],
      [orgCommand, ['--org', 'x'], /--settings is required/],
      [
        orgCommand,
        ['--settings', 'no-such-file.json'],
        /organisation settings: no such file: no-such-file.json/,
      ],
      [calendarCommand, ['--org', 'x'], /--config is required/],
      [calendarCommand, ['--config', 'examples/org-arjeplog.json', '--check'], /Unrecognized key/],
      [notifyCommand, ['--org', 'x'], /--config is required/],
      // the example's secrets live under /run/credentials on a real host: named, not guessed
      [notifyCommand, ['--config', 'examples/notify.json', '--check'], /linkSecretFile: no such file/],
    ];
    for (const [command, argv, message] of cases) {
      await expect(command(argv, linesContext({ signal: AbortSignal.abort() }))).rejects.toThrow(UsageError);
      await expect(command(argv, linesContext({ signal: AbortSignal.abort() }))).rejects.toThrow(message);
    }
  });

  it('runs broker, board and simulator until stopped', async () => {
    const stop = new AbortController();
    const out: string[] = [];
    const ctx = linesContext({ signal: stop.signal, out: (l) => out.push(l) });
    const broker = brokerCommand(['--port', '0'], ctx);
    // generous: the machine is shared and loaded
    await vi.waitFor(() => expect(out.some((l) => l.startsWith('broker mqtt://'))).toBe(true), {
      timeout: 15_000,
    });
    const url = out.find((l) => l.startsWith('broker '))?.slice('broker '.length) ?? '';
    const board = boardCommand(['--broker', url, '--port', '0', '--org', 'demo'], ctx);
    const simulate = simulateCommand(['--broker', url, '--org', 'demo', '--seed', '5'], ctx);
    await vi.waitFor(() => expect(out.some((l) => l.startsWith('board http://'))).toBe(true), {
      timeout: 15_000,
    });
    const boardUrl = out.find((l) => l.startsWith('board '))?.slice('board '.length) ?? '';
    await vi.waitFor(
      async () => {
        const snapshot = (await (await fetch(new URL('/api/snapshot', boardUrl))).json()) as {
          rows: unknown[];
        };
        expect(snapshot.rows).toHaveLength(10);
      },
      { timeout: 15_000 },
    );
    stop.abort();
    await Promise.all([board, simulate]);
    await broker;
    await expect(fetch(boardUrl)).rejects.toThrow();
  });

  it('runs the board behind a login with --users, and refuses a users file that does not load', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hanvisa-cli-'));
    const stop = new AbortController();
    try {
      const file = join(dir, 'users.json');
      const passwordHash = await hashPassword('olle-password', { N: 1024, r: 8, p: 1 });
      await writeFile(
        file,
        JSON.stringify([{ username: 'olle', name: 'Olle', role: 'operator', orgs: '*', passwordHash }]),
      );
      await expect(boardCommand(['--users', join(dir, 'missing.json'), '--port', '0'])).rejects.toThrow(
        /missing\.json/,
      );
      const out: string[] = [];
      const board = boardCommand(
        ['--broker', 'mqtt://127.0.0.1:1', '--port', '0', '--users', file],
        linesContext({ signal: stop.signal, out: (l) => out.push(l) }),
      );
      await vi.waitFor(() => expect(out.some((l) => l.startsWith('board http://'))).toBe(true), {
        timeout: 15_000,
      });
      const boardUrl = out.find((l) => l.startsWith('board '))?.slice('board '.length) ?? '';
      expect((await fetch(new URL('/api/snapshot', boardUrl))).status).toBe(401);
      const login = await fetch(new URL('/login', boardUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'olle', password: 'olle-password' }),
      });
      expect(login.status).toBe(200);
      expect(await login.json()).toMatchObject({ username: 'olle', role: 'operator' });
      stop.abort();
      await board;
    } finally {
      stop.abort();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
