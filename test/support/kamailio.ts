// Starts a real Kamailio (Debian kamailio + kamailio-presence-modules) as the PBX for the SIP tests: the
// SHIPPED deploy/kamailio/kamailio.cfg, unchanged, with only its site defines (ports, paths, the
// bridge's address) given on the command line (-A), and its db_text tables copied from
// deploy/kamailio/dbtext/ into a temp dir: what IT installs is what is tested. It is the registrar and
// proxy for baresip phones, the presence server (PUBLISH, SUBSCRIBE for presence, message-summary,
// dialog), answers OPTIONS (the adapter's keepalive), and sends each call to the bridge for routing.
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { appendFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, spawnServer } from './server-process.js';

const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';
const SHIPPED = fileURLToPath(new URL('../../deploy/kamailio/', import.meta.url));

/** Digest authentication on (-A WITH_AUTH, WITH_BRIDGE_AUTH): the bridge's account in `subscriber`. */
export interface KamailioAuth {
  username: string;
  password: string;
  algorithm: 'MD5' | 'SHA-256';
  /** more accounts in `subscriber`: desk phones, which may speak for themselves only */
  phones?: readonly { username: string; password: string }[];
}

/** SIP over TCP and TLS beside UDP: the server's certificate and key (PEM files, test/support/tls.ts). */
export interface KamailioStreams {
  certFile: string;
  keyFile: string;
}

export interface Kamailio {
  /** the TCP and TLS ports, when started with `streams` */
  tcpPort?: number;
  tlsPort?: number;
  /** the account the bridge's PUBLISH and SUBSCRIBE must authenticate with, when started with `auth` */
  auth?: KamailioAuth;
  host: string;
  port: number;
  /** the SIP domain of the test PBX */
  domain: string;
  stop(): Promise<void>;
  /** SIGKILL, as a crash would; start() brings it back on the same port */
  kill(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
  log(): string;
}

export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no TCP port');
  return address.port;
}

/** The shipped config's site defines (deploy/kamailio/kamailio.cfg's #!ifndef block) for this rig. */
function defines(port: number, db: string, bridge: { host: string; port: number }): string[] {
  return [
    `LISTEN=udp:127.0.0.1:${port}`,
    // with its port: the phones' contacts are on 127.0.0.1 too, and an alias for every port would make
    // each of them "myself" (loose_route would then take an ACK to a phone for a strict-routed one)
    `SIP_DOMAIN="127.0.0.1:${port}"`,
    `SERVER_URI="sip:127.0.0.1:${port}"`,
    `DBURL="text://${db}"`,
    `HANVISA_BRIDGE="sip:${bridge.host}:${bridge.port}"`,
    `HANVISA_BRIDGE_IP="${bridge.host}"`,
    `HANVISA_BRIDGE_PORT=${bridge.port}`,
    `MODULES_PATH="${MODULES}"`,
  ].flatMap((d) => ['-A', d]);
}

/** Resolves once Kamailio answers an OPTIONS on the port (a readiness probe, not a sleep). */
async function waitForSip(port: number, timeoutMs = 15_000): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const local = socket.address().port;
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`no SIP answer on 127.0.0.1:${port} after ${timeoutMs} ms`)),
        timeoutMs,
      );
      socket.on('message', (msg) => {
        if (msg.toString().startsWith('SIP/2.0 200')) {
          clearTimeout(deadline);
          clearInterval(probe);
          resolve();
        }
      });
      let n = 0;
      const send = () => {
        n++;
        const text = [
          `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bKprobe${n}${Math.random().toString(16).slice(2)}`,
          'Max-Forwards: 70',
          `From: <sip:probe@127.0.0.1>;tag=p${n}`,
          `To: <sip:127.0.0.1:${port}>`,
          `Call-ID: probe-${local}-${n}`,
          `CSeq: ${n} OPTIONS`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
        socket.send(text, port, '127.0.0.1');
      };
      const probe = setInterval(send, 100);
      send();
    });
  } finally {
    socket.close();
  }
}

/** Resolves once no process of the group is left (kill -0 on the group fails). */
async function groupGone(pgid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error(`kamailio processes of group ${pgid} still running`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface KamailioOptions {
  /** where the phone bridge listens for the routing INVITEs; default a free port nobody answers on */
  bridge?: { host: string; port: number };
  /** the shipped config's optional defines (WITH_AUTH, WITHOUT_HANVISA …) */
  defines?: readonly string[];
  /** the bridge authenticates like the phones (WITH_AUTH + WITH_BRIDGE_AUTH) with this account */
  auth?: KamailioAuth;
  /** TCP and TLS listeners too (LISTEN_TCP, WITH_TLS) */
  streams?: KamailioStreams;
}

/** The tls module's settings: the server's certificate and key, no client certificates. */
const tlsSettings = (streams: KamailioStreams) => `[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = ${streams.keyFile}
certificate = ${streams.certFile}
`;

/** The defines and files for `auth` and `streams`, on the shipped config's own switches. */
async function optionalParts(
  options: KamailioOptions,
  dir: string,
  db: string,
): Promise<{ defines: string[]; tcpPort?: number; tlsPort?: number }> {
  const defines: string[] = [];
  const { auth, streams } = options;
  if (auth) {
    defines.push(
      'WITH_AUTH',
      'WITH_BRIDGE_AUTH',
      `HANVISA_BRIDGE_USER="${auth.username}"`,
      `AUTH_ALGORITHM="${auth.algorithm}"`,
    );
    // a plain password: calculate_ha1 hashes it per algorithm
    const accounts = [auth, ...(auth.phones ?? [])];
    await appendFile(
      join(db, 'subscriber'),
      accounts.map((a, i) => `${i + 1}:${a.username}:127.0.0.1:${a.password}:unused:unused\n`).join(''),
    );
  }
  if (!streams) return { defines };
  const [tcpPort, tlsPort] = [await freeTcpPort(), await freeTcpPort()];
  const tlsCfg = join(dir, 'tls.cfg');
  await writeFile(tlsCfg, tlsSettings(streams));
  defines.push(
    `LISTEN_TCP=tcp:127.0.0.1:${tcpPort}`,
    'WITH_TLS',
    `LISTEN_TLS=tls:127.0.0.1:${tlsPort}`,
    `TLS_CONFIG="${tlsCfg}"`,
  );
  return { defines, tcpPort, tlsPort };
}

export async function startKamailio(options: KamailioOptions = {}): Promise<Kamailio> {
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-kamailio-'));
  const db = join(dir, 'db');
  await cp(join(SHIPPED, 'dbtext'), db, { recursive: true });
  const port = await freeUdpPort();
  const bridge = options.bridge ?? { host: '127.0.0.1', port: await freeUdpPort() };
  const cfg = join(SHIPPED, 'kamailio.cfg');
  const optional = await optionalParts(options, dir, db);
  let child: ChildProcess | undefined;
  const log = { output: '' };
  const end = async (signal: NodeJS.Signals) => {
    const proc = child;
    if (!proc) return;
    child = undefined;
    // the whole process group: Kamailio's workers hold the UDP socket too and outlive a killed main process
    try {
      process.kill(-(proc.pid as number), signal);
    } catch {
      proc.kill(signal);
    }
    await exited(proc);
    await groupGone(proc.pid as number);
  };
  const instance: Kamailio = {
    ...(options.auth ? { auth: options.auth } : {}),
    ...(optional.tcpPort ? { tcpPort: optional.tcpPort, tlsPort: optional.tlsPort } : {}),
    host: '127.0.0.1',
    port,
    domain: '127.0.0.1',
    async start() {
      if (child) return;
      // -DD: stay in the foreground with the worker processes as children; -E: log to stderr;
      // detached: its own process group, so that kill() reaches the workers too
      const extra = [...(options.defines ?? []), ...optional.defines].flatMap((d) => ['-A', d]);
      const args = [
        '-f',
        cfg,
        ...defines(port, db, bridge),
        ...extra,
        '-DD',
        '-E',
        '-Y',
        dir,
        '-m',
        '64',
        '-M',
        '8',
      ];
      const proc = await spawnServer('kamailio', 'kamailio', args, log, () => waitForSip(port), {
        detached: true,
      });
      proc.once('exit', () => {
        if (child === proc) child = undefined;
      });
      if (proc.exitCode === null && proc.signalCode === null) child = proc;
    },
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    async dispose() {
      await instance.stop();
      await rm(dir, { recursive: true, force: true });
    },
    log: () => log.output,
  };
  await instance.start();
  return instance;
}
