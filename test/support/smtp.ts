// A real SMTP server for tests: Debian's python3-aiosmtpd on a free loopback port, with a handler that
// writes each accepted message to its own file in a temp dir (mail/NNNNNN.eml, renamed into place, so
// a reader never sees half of one). While the file `refuse` exists in the dir the server answers every
// message with 451 (try again later), and with `reject` 550 (no such user): a mail server that is
// down for a while, or an address that will never work.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mailer } from '../../switchboard/notify/mailer.js';
import { smtpMailer } from '../../switchboard/notify/smtp-mailer.js';
import { freePort, waitForPort } from './mosquitto.js';
import { exited, spawnServer } from './server-process.js';

const HANDLER = `
import os

class Drop:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(*args)

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.folder, 'reject')):
            return '550 5.1.1 no such user'
        if os.path.exists(os.path.join(self.folder, 'refuse')):
            return '451 4.3.0 try again later'
        self.count += 1
        name = os.path.join(self.folder, 'mail', '%06d.eml' % self.count)
        with open(name + '.tmp', 'wb') as f:
            f.write(('X-Rcpt: %s\\r\\n' % ','.join(envelope.rcpt_tos)).encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(name + '.tmp', name)
        return '250 OK'
`;

export interface SmtpServer {
  host: string;
  port: number;
  /** the accepted messages so far, oldest first: the raw RFC 5322 text with an X-Rcpt line in front */
  messages(): Promise<string[]>;
  /** resolves with the `n`th accepted message (1-based) once it is there */
  nth(n: number, timeoutMs?: number): Promise<string>;
  /** from now on answer 451 (true) or accept again (false) */
  refuse(on: boolean): Promise<void>;
  /** from now on answer 550 (true) or accept again (false) */
  reject(on: boolean): Promise<void>;
  stop(): Promise<void>;
  log(): string;
}

export async function startSmtpServer(): Promise<SmtpServer> {
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-smtp-'));
  const mail = join(dir, 'mail');
  await mkdir(mail);
  await writeFile(join(dir, 'drop_handler.py'), HANDLER);
  const port = await freePort();
  const log = { output: '' };
  const proc = await spawnServer(
    'aiosmtpd',
    // Debian's python (the package's), not whichever python3 is first on the PATH
    '/usr/bin/python3',
    ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'drop_handler.Drop', dir],
    log,
    () => waitForPort(port),
    { env: { ...process.env, PYTHONPATH: dir }, cwd: dir },
  );
  const messages = async () => {
    const names = (await readdir(mail)).filter((n) => n.endsWith('.eml')).sort();
    return Promise.all(names.map((n) => readFile(join(mail, n), 'utf8')));
  };
  const flag = async (name: string, on: boolean) => {
    const path = join(dir, name);
    if (on) await writeFile(path, '');
    else if (existsSync(path)) await unlink(path);
  };
  return {
    host: '127.0.0.1',
    port,
    messages,
    async nth(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const all = await messages();
        const found = all[n - 1];
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no message ${n} within ${timeoutMs} ms:\n${log.output}`);
        // a poll of the drop folder, not a sleep standing in for an event: the server has no other signal
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    refuse: (on) => flag('refuse', on),
    reject: (on) => flag('reject', on),
    async stop() {
      proc.kill('SIGTERM');
      await exited(proc);
      await rm(dir, { recursive: true, force: true });
    },
    log: () => log.output,
  };
}

/** One header of a raw message (the first), unfolded; undefined when absent. */
/** The notifier's mailer sending through the test server: plain SMTP on loopback, no TLS. */
export function mailerFor(smtp: SmtpServer, from: string): Mailer {
  return smtpMailer({ host: smtp.host, port: smtp.port, secure: false, from, requireTls: false });
}

export function mailHeader(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** The text of a single-part message, its transfer encoding (quoted-printable, base64) undone. */
export function mailText(raw: string): string {
  const body = raw
    .split(/\r?\n\r?\n/)
    .slice(1)
    .join('\r\n\r\n');
  const encoding = mailHeader(raw, 'Content-Transfer-Encoding')?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding !== 'quoted-printable') return body;
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i] as string, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
