// `hanvisa board --users` reloads its users file on SIGHUP (systemctl reload): IT adds a colleague
// without logging out the operators who have callers on the line. Users removed or changed lose their
// sessions; a broken file is refused and the users as they were stay. Also: every board answer over
// TLS (here through a trusted proxy) carries HSTS, not only the login page's.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, type User } from '../../switchboard/auth/index.js';
import { boardCommand } from '../../switchboard/board/command.js';
import { linesContext } from '../support/command.js';
import { freePort } from '../support/mosquitto.js';

const CHEAP = { N: 1024, r: 8, p: 1 };

describe('board users file reload', () => {
  let dir: string;
  let usersFile: string;
  let origin: string;
  const hangup = new EventEmitter();
  const out: string[] = [];
  const err: string[] = [];
  const stop = new AbortController();
  let done: Promise<void>;
  const users: Record<string, User> = {};

  const writeUsers = (list: User[]) => writeFileSync(usersFile, JSON.stringify(list, null, 2));

  async function login(username: string): Promise<{ status: number; cookie: string }> {
    const res = await fetch(`${origin}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ username, password: `${username}-password-1` }),
      redirect: 'manual',
    });
    const cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('hanvisa_session='))
      ?.split(';')[0];
    return { status: res.status, cookie: cookie ?? '' };
  }
  const sessionStatus = async (cookie: string) =>
    (await fetch(`${origin}/api/session`, { headers: { cookie } })).status;
  /** the reload's answer: resolves with the next line the board writes */
  const nextLine = (lines: string[]) => {
    const count = lines.length;
    hangup.emit('SIGHUP');
    // the reload is synchronous: its line is written before emit() returns
    expect(lines.length).toBe(count + 1);
    return lines[count] ?? '';
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hanvisa-users-reload-'));
    usersFile = join(dir, 'users.json');
    for (const [username, role] of [
      ['anna', 'operator'],
      ['bo', 'viewer'],
      ['carl', 'operator'],
    ] as const) {
      users[username] = {
        username,
        name: username,
        role,
        orgs: '*',
        passwordHash: await hashPassword(`${username}-password-1`, CHEAP),
      };
    }
    writeUsers([users.anna as User, users.bo as User]);
    // no broker: the board's HTTP side and its users do not need one
    const broker = `mqtt://127.0.0.1:${await freePort()}`;
    let listening: (url: string) => void = () => {};
    const url = new Promise<string>((resolve) => {
      listening = resolve;
    });
    done = boardCommand(
      ['--broker', broker, '--port', '0', '--users', usersFile, '--trust-proxy'],
      linesContext({
        signal: stop.signal,
        hangup,
        out: (line) => {
          const m = /^board (\S+)/.exec(line);
          if (m?.[1]) listening(m[1]);
          else out.push(line);
        },
        err: (line) => err.push(line),
      }),
    );
    origin = new URL(await url).origin;
  });

  afterAll(async () => {
    stop.abort();
    await done;
    expect(hangup.listenerCount('SIGHUP')).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps unchanged users logged in, ends the sessions of changed ones and admits new ones', async () => {
    const anna = await login('anna');
    const bo = await login('bo');
    expect([anna.status, bo.status]).toEqual([200, 200]);
    expect((await login('carl')).status).toBe(401);

    writeUsers([users.anna as User, { ...(users.bo as User), role: 'operator' }, users.carl as User]);
    expect(nextLine(out)).toBe('users reloaded: 3 users, 1 sessions ended');

    expect(await sessionStatus(anna.cookie)).toBe(200);
    expect(await sessionStatus(bo.cookie)).toBe(401);
    expect((await login('carl')).status).toBe(200);
  });

  it('refuses a broken file and keeps the users and sessions as they were', async () => {
    const anna = await login('anna');
    writeFileSync(usersFile, '[{"username": "dora", "role": "boss"}]');
    expect(nextLine(err)).toMatch(/^users file not reloaded, the users as they were stay: .*role/s);
    expect(await sessionStatus(anna.cookie)).toBe(200);
    expect((await login('carl')).status).toBe(200);
    expect((await login('dora')).status).toBe(401);
  });

  it('answers /healthz without a session: 503 while it has no broker, and nothing but that', async () => {
    const res = await fetch(`${origin}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ broker: 'disconnected' });
    expect((await fetch(`${origin}/healthz`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${origin}/api/health`)).status).toBe(401);
  });

  it('sends HSTS on the board routes over TLS, and not over plain http', async () => {
    const { cookie } = await login('anna');
    const health = (headers: Record<string, string>) =>
      fetch(`${origin}/api/health`, { headers: { cookie, ...headers } });
    const overTls = await health({ 'x-forwarded-proto': 'https' });
    expect(overTls.status).toBe(200);
    expect(overTls.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect((await health({})).headers.get('strict-transport-security')).toBeNull();
  });
});
