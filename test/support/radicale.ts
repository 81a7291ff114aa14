// Starts a real Radicale CalDAV server (Debian package) on a free loopback port in its own temp dir,
// like test/support/mosquitto.ts, with one user and helpers to create calendars and put events.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './mosquitto.js';
import { exited, spawnServer } from './server-process.js';

export interface Radicale {
  url: string;
  username: string;
  password: string;
  /** MKCALENDAR /{user}/{name}/; returns the collection URL */
  createCalendar(name: string): Promise<string>;
  /** PUT one iCalendar object into a collection (replacing it); returns its URL */
  putEvent(collection: string, name: string, ics: string): Promise<string>;
  deleteEvent(url: string): Promise<void>;
  dispose(): Promise<void>;
}

const USER = 'anna';
const PASSWORD = 'radicale-test-password';

export async function startRadicale(): Promise<Radicale> {
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-radicale-'));
  const port = await freePort();
  await writeFile(join(dir, 'users'), `${USER}:${PASSWORD}\n`);
  const config = [
    '[server]',
    `hosts = 127.0.0.1:${port}`,
    '[auth]',
    'type = htpasswd',
    `htpasswd_filename = ${join(dir, 'users')}`,
    'htpasswd_encryption = plain',
    '[rights]',
    'type = owner_only',
    '[storage]',
    `filesystem_folder = ${join(dir, 'collections')}`,
    '[logging]',
    'level = warning',
  ];
  await writeFile(join(dir, 'config'), `${config.join('\n')}\n`);
  const log = { output: '' };
  const child = await spawnServer('radicale', 'radicale', ['--config', join(dir, 'config')], log, () =>
    waitForPort(port, 20_000),
  );
  const base = `http://127.0.0.1:${port}`;
  const auth = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  const send = async (method: string, url: string, body?: string, type?: string) => {
    const response = await fetch(url, {
      method,
      headers: { authorization: auth, ...(type ? { 'content-type': type } : {}) },
      ...(body !== undefined ? { body } : {}),
    });
    if (response.status >= 300)
      throw new Error(`${method} ${url}: HTTP ${response.status}\n${await response.text()}\n${log.output}`);
  };
  return {
    url: base,
    username: USER,
    password: PASSWORD,
    async createCalendar(name) {
      const url = `${base}/${USER}/${name}/`;
      await send(
        'MKCALENDAR',
        url,
        `<?xml version="1.0"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>${name}</d:displayname></d:prop></d:set></c:mkcalendar>`,
        'application/xml',
      );
      return url;
    },
    async putEvent(collection, name, ics) {
      const url = `${collection}${name}.ics`;
      await send('PUT', url, ics, 'text/calendar; charset=utf-8');
      return url;
    },
    async deleteEvent(url) {
      await send('DELETE', url);
    },
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
