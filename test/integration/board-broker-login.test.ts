// `hanvisa board --username --password-file` against a real Mosquitto that admits nobody anonymously,
// as the production broker (deploy/mosquitto) does: the board logs in and follows the organisation;
// with a wrong password it is refused and shows the broker as disconnected; bad options are usage errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../cli/usage-error.js';
import { EXAMPLES } from '../../protocol/contract.js';
import { encode } from '../../protocol/index.js';
import { boardCommand } from '../../switchboard/board/command.js';
import { linesContext } from '../support/command.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

interface Health {
  broker: 'connected' | 'disconnected';
  people: number;
}

describe('board broker login', () => {
  let dir: string;
  let broker: Mosquitto;
  const running: { stop: AbortController; done: Promise<void> }[] = [];

  /** Starts `hanvisa board` with these options; resolves with its URL once it listens. */
  async function startBoardCommand(args: string[]): Promise<string> {
    const stop = new AbortController();
    let resolveUrl: (url: string) => void = () => {};
    const url = new Promise<string>((resolve) => {
      resolveUrl = resolve;
    });
    const done = boardCommand(
      ['--broker', broker.url, '--port', '0', ...args],
      linesContext({
        signal: stop.signal,
        out: (line) => {
          const m = /^board (\S+)/.exec(line);
          if (m?.[1]) resolveUrl(m[1]);
        },
      }),
    );
    running.push({ stop, done });
    return Promise.race([url, done.then(() => Promise.reject(new Error('board stopped before listening')))]);
  }

  const health = async (url: string) => (await (await fetch(new URL('api/health', url))).json()) as Health;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hanvisa-board-login-'));
    broker = await startMosquitto({
      users: { 'board-grastorp': 'right horse battery', 'switchboard-grastorp': 'other secret' },
    });
    const publisher = await mqtt.connectAsync(broker.url, {
      protocolVersion: 4,
      username: 'switchboard-grastorp',
      password: 'other secret',
    });
    const e = encode(EXAMPLES.presence);
    await publisher.publishAsync(e.topic, e.payload, { qos: 1, retain: true });
    await publisher.endAsync();
  });

  afterAll(async () => {
    for (const r of running) r.stop.abort();
    await Promise.allSettled(running.map((r) => r.done));
    await broker?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an anonymous client, so the board must log in', async () => {
    await expect(mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 })).rejects.toThrow(
      /not authorized/i,
    );
  });

  it('logs in with the password from the file (trailing newline dropped) and follows the organisation', async () => {
    const file = join(dir, 'board.password');
    writeFileSync(file, 'right horse battery\n', { mode: 0o600 });
    const url = await startBoardCommand(['--username', 'board-grastorp', '--password-file', file]);
    await vi.waitFor(
      async () => expect(await health(url)).toMatchObject({ broker: 'connected', people: 1 }),
      {
        timeout: 10_000,
      },
    );
    const healthz = await fetch(new URL('healthz', url));
    expect([healthz.status, await healthz.json()]).toEqual([200, { broker: 'connected' }]);
  });

  it('is refused with a wrong password and shows the broker as disconnected, with nothing applied', async () => {
    const file = join(dir, 'wrong.password');
    writeFileSync(file, 'wrong horse\n');
    const refusalsBefore = broker.log().split('not authorised').length;
    const url = await startBoardCommand(['--username', 'board-grastorp', '--password-file', file]);
    // Mosquitto logs every refused login: wait for this board's, then look at what the board shows.
    await vi.waitFor(
      () => expect(broker.log().split('not authorised').length).toBeGreaterThan(refusalsBefore),
      {
        timeout: 10_000,
      },
    );
    expect(await health(url)).toMatchObject({ broker: 'disconnected', people: 0 });
  });

  it('rejects a password file without a user, an unreadable file and an empty one, naming the option', async () => {
    const empty = join(dir, 'empty.password');
    writeFileSync(empty, '\n');
    await expect(boardCommand(['--password-file', empty])).rejects.toThrow(
      new UsageError('--password-file needs --username'),
    );
    await expect(
      boardCommand(['--username', 'board-grastorp', '--password-file', join(dir, 'missing')]),
    ).rejects.toThrow(`--password-file: no such file: ${join(dir, 'missing')}`);
    await expect(boardCommand(['--username', 'board-grastorp', '--password-file', empty])).rejects.toThrow(
      /--password-file .*: must hold the secret on one line/,
    );
  });
});
