// Real SIP peers from Debian for the SIP adapter's tests: sipsak as the voicemail server that
// PUBLISHes message-summary to Kamailio, and baresip as a phone that watches a desk's presence (its
// presence module SUBSCRIBEs to each contact marked ;presence=p2p and logs every status change); and
// a phone subscribing afresh, as a one-off fetch (presenceOf), to read what Kamailio holds for a desk.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { messageSummary } from '../../switchboard/phone/sip/bodies.js';
import { newTag, openEndpoint } from '../../switchboard/phone/sip/endpoint.js';
import { freeUdpPort, type Kamailio } from './kamailio.js';

const run = promisify(execFile);

/** The voicemail server's publication per Kamailio and extension: its SIP-ETag, so that each PUBLISH
 * modifies the one publication (RFC 3903) instead of adding one whose order Kamailio cannot tell. */
const etags = new WeakMap<Kamailio, Map<string, string>>();

/** The voicemail server tells Kamailio how many messages wait for `ext` (PUBLISH, Event: message-summary). */
export async function publishVoicemail(kamailio: Kamailio, ext: string, count: number): Promise<void> {
  const known = etags.get(kamailio) ?? new Map<string, string>();
  etags.set(kamailio, known);
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-sipsak-'));
  try {
    const uri = `sip:${ext}@${kamailio.domain}`;
    const body = messageSummary(count, uri);
    const file = join(dir, 'publish.sip');
    const send = async (etag: string | undefined) => {
      const tag = Math.random().toString(16).slice(2);
      await writeFile(
        file,
        [
          `PUBLISH ${uri} SIP/2.0`,
          `From: <${uri}>;tag=${tag}`,
          `To: <${uri}>`,
          `Call-ID: vm-${tag}@voicemail`,
          'CSeq: 1 PUBLISH',
          'Max-Forwards: 70',
          'Event: message-summary',
          'Expires: 3600',
          ...(etag ? [`SIP-If-Match: ${etag}`] : []),
          'Content-Type: application/simple-message-summary',
          `Content-Length: ${Buffer.byteLength(body)}`,
          '',
          body,
        ].join('\r\n'),
      );
      // sipsak adds its Via, prints the reply with -vv, and exits 0 on a 2xx answer
      const { stdout } = await run('sipsak', [
        '-vv',
        '-f',
        file,
        '-L',
        '-H',
        '127.0.0.1',
        '-s',
        `sip:${ext}@${kamailio.host}:${kamailio.port}`,
      ]);
      const fresh = /^SIP-ETag:\s*(\S+)/im.exec(stdout)?.[1];
      if (fresh) known.set(ext, fresh);
    };
    try {
      await send(known.get(ext));
    } catch (e) {
      // 412 after a Kamailio restart: it forgot the publication; publish a new one
      if (!known.has(ext)) throw e;
      known.delete(ext);
      await send(undefined);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface Baresip {
  /** the statuses baresip logged for the watched extension, in order (Online, Offline, …) */
  statuses(): string[];
  log(): string;
  stop(): Promise<void>;
}

/** A baresip phone watching the presence of `ext` on Kamailio. */
export async function startBaresipWatcher(kamailio: Kamailio, ext: string): Promise<Baresip> {
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-baresip-'));
  const port = await freeUdpPort();
  await writeFile(
    join(dir, 'config'),
    [
      'module_path /usr/lib/baresip/modules',
      'module_app account.so',
      'module_app contact.so',
      'module_app presence.so',
      `sip_listen 127.0.0.1:${port}`,
      'audio_player none',
      'audio_source none',
      'audio_alert none',
      '',
    ].join('\n'),
  );
  await writeFile(join(dir, 'accounts'), `<sip:watcher@127.0.0.1:${port};transport=udp>;regint=0\n`);
  await writeFile(
    join(dir, 'contacts'),
    `"Desk ${ext}" <sip:${ext}@${kamailio.host}:${kamailio.port}>;presence=p2p\n`,
  );
  let output = '';
  const child: ChildProcess = spawn('baresip', ['-f', dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    // baresip logs only changes between known states (not the first one), in ANSI colours
    statuses: () =>
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colour codes
      [...output.replace(/\x1b\[[0-9;]*m/g, '').matchAll(/changed status from \S+ to (\S+)/g)].map(
        (m) => m[1] as string,
      ),
    log: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The presence document Kamailio holds for `ext` now, every publication aggregated, as a phone that
 * subscribes afresh gets it: a fetch (SUBSCRIBE with Expires: 0, RFC 6665 §4.4.3) and its one NOTIFY.
 */
export async function presenceOf(kamailio: Kamailio, ext: string): Promise<string> {
  let received: (body: string) => void = () => {};
  const notified = new Promise<string>((resolve) => {
    received = resolve;
  });
  const phone = await openEndpoint({
    host: '127.0.0.1',
    server: { host: kamailio.host, port: kamailio.port },
    onRequest: (request) => {
      if (request.method === 'NOTIFY') received(request.body);
      return { status: 200, reason: 'OK' };
    },
    onBadDatagram: (e) => {
      throw e;
    },
    ...(kamailio.auth ? { credentials: kamailio.auth } : {}),
  });
  try {
    const uri = `sip:${ext}@${kamailio.domain}`;
    const r = await phone.request('SUBSCRIBE', uri, [
      // the shipped config's auth_check wants the From user to be the account that authenticates
      ['From', `<sip:${kamailio.auth?.username ?? 'fetcher'}@${kamailio.domain}>;tag=${newTag()}`],
      ['To', `<${uri}>`],
      ['Call-ID', `${newTag()}@fetcher`],
      ['CSeq', '1 SUBSCRIBE'],
      ['Contact', `<sip:fetcher@${phone.local.host}:${phone.local.port}>`],
      ['Event', 'presence'],
      ['Accept', 'application/pidf+xml'],
      ['Expires', '0'],
    ]);
    if (r.status >= 300) throw new Error(`fetch of ${uri}: ${r.status} ${r.reason}`);
    return await notified;
  } finally {
    await phone.close();
  }
}
