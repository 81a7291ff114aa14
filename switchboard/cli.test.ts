import { describe, expect, it, vi } from 'vitest';
import { boardCommand, brokerCommand, simulateCommand, UsageError } from './cli.js';

describe('switchboard CLI', () => {
  it('prints help and does nothing else', async () => {
    for (const command of [brokerCommand, boardCommand, simulateCommand]) {
      const lines: string[] = [];
      await command(['--help'], { out: (l) => lines.push(l) });
      expect(lines.join('\n')).toMatch(/^Usage: hanvisa (broker|board|simulate)/);
    }
  });

  it('refuses bad usage with a reason', async () => {
    const cases: [typeof brokerCommand, string[], RegExp][] = [
      [brokerCommand, ['--port', '70000'], /--port must be 0-65535/],
      [brokerCommand, ['--bogus'], /Unknown option '--bogus'[\s\S]*Usage: hanvisa broker/],
      [boardCommand, ['--org', 'Bad Org', '--port', '0'], /--org "Bad Org"/],
      [boardCommand, ['--broker', 'http://x', '--port', '0'], /--broker must be a URL/],
      [simulateCommand, ['--seed', '1e3'], /--seed must be a whole number/],
      [simulateCommand, ['extra'], /Unexpected argument 'extra'/],
    ];
    for (const [command, argv, message] of cases) {
      await expect(command(argv, { signal: AbortSignal.abort() })).rejects.toThrow(UsageError);
      await expect(command(argv, { signal: AbortSignal.abort() })).rejects.toThrow(message);
    }
  });

  it('runs broker, board and simulator until stopped', async () => {
    const stop = new AbortController();
    const out: string[] = [];
    const ctx = { signal: stop.signal, out: (l: string) => out.push(l) };
    const broker = brokerCommand(['--port', '0'], ctx);
    await vi.waitFor(() => expect(out.some((l) => l.startsWith('broker mqtt://'))).toBe(true));
    const url = out.find((l) => l.startsWith('broker '))?.slice('broker '.length) ?? '';
    const board = boardCommand(['--broker', url, '--port', '0', '--org', 'demo'], ctx);
    const simulate = simulateCommand(['--broker', url, '--org', 'demo', '--seed', '5'], ctx);
    await vi.waitFor(() => expect(out.some((l) => l.startsWith('board http://'))).toBe(true));
    const boardUrl = out.find((l) => l.startsWith('board '))?.slice('board '.length) ?? '';
    await vi.waitFor(async () => {
      const snapshot = (await (await fetch(new URL('/api/snapshot', boardUrl))).json()) as {
        rows: unknown[];
      };
      expect(snapshot.rows).toHaveLength(10);
    });
    stop.abort();
    await Promise.all([board, simulate]);
    await broker;
    await expect(fetch(boardUrl)).rejects.toThrow();
  });
});
