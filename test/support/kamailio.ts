// Starts a real Kamailio (Debian kamailio + kamailio-presence-modules) as the PBX side for the SIP
// adapter's tests: a presence server (presence, presence_xml, presence_mwi) on a free loopback UDP
// port, its tables in db_text files in a temp dir, like test/support/mosquitto.ts does for the broker.
// It answers OPTIONS (the adapter's keepalive), takes PUBLISH and SUBSCRIBE for presence and
// message-summary, and NOTIFYs the watchers.
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './mosquitto.js';
import { exited, spawnServer } from './server-process.js';

const MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';
const DBTEXT_TEMPLATES = '/usr/share/kamailio/dbtext/kamailio';

/** Digest authentication on: every PUBLISH and SUBSCRIBE challenged (407), one account in db_text. */
export interface KamailioAuth {
  username: string;
  password: string;
  algorithm: 'MD5' | 'SHA-256';
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
  /** the account every PUBLISH and SUBSCRIBE must authenticate with, when started with `auth` */
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

export interface KamailioOptions {
  /**
   * Also a registrar and proxy for real calls between baresip phones, with the call state of each
   * extension served as RFC 4235 dialog-info: dialog tracks the calls, pua_dialoginfo PUBLISHes their
   * states to the presence server (this same Kamailio), presence_dialoginfo NOTIFYs `Event: dialog`.
   */
  dialogInfo?: boolean;
  auth?: KamailioAuth;
  streams?: KamailioStreams;
}

/** The modules and the call routing that `dialogInfo` adds. */
function dialogInfoModules(port: number, db: string): string {
  return `loadmodule "rr.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "dialog.so"
loadmodule "pua.so"
loadmodule "pua_dialoginfo.so"
loadmodule "presence_dialoginfo.so"
modparam("pua", "db_url", "text://${db}")
modparam("pua", "outbound_proxy", "sip:127.0.0.1:${port}")
modparam("pua_dialoginfo", "include_callid", 1)
modparam("pua_dialoginfo", "include_tags", 1)
`;
}

const DIALOG_INFO_ROUTE = `
  if (has_totag()) {
    if (loose_route() || is_method("BYE|ACK|CANCEL|INFO|UPDATE|NOTIFY|REFER")) { t_relay(); exit; }
  }
  if (is_method("CANCEL")) { if (t_check_trans()) t_relay(); exit; }
  if (is_method("REGISTER")) { save("location"); exit; }
  if (is_method("INVITE")) {
    record_route();
    dlg_manage();
    if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
    t_relay();
    exit;
  }`;

/** auth_db's subscriber table in db_text (plain password: calculate_ha1 hashes it per algorithm). */
const authModules = (db: string, auth: KamailioAuth) => `loadmodule "auth.so"
loadmodule "auth_db.so"
modparam("auth", "qop", "auth")
modparam("auth", "nonce_count", 1)
modparam("auth", "algorithm", "${auth.algorithm === 'MD5' ? '' : auth.algorithm}")
modparam("auth_db", "db_url", "text://${db}")
modparam("auth_db", "calculate_ha1", 1)
modparam("auth_db", "password_column", "password")
`;

/** Challenged unless the credentials for the From domain check out (flags 0: any user may publish). */
const AUTH_CHECK = `if (!auth_check("$fd", "subscriber", "0")) { auth_challenge("$fd", "1"); exit; }
    consume_credentials();
    `;

/** TCP and TLS listeners, and the tls module with the server's certificate (no client certificates). */
function streamConfig(ports: { tcp: number; tls: number }): string {
  return `listen=tcp:127.0.0.1:${ports.tcp}
listen=tls:127.0.0.1:${ports.tls}
enable_tls=yes
`;
}
const tlsModule = (tlsCfg: string) => `loadmodule "tls.so"
modparam("tls", "config", "${tlsCfg}")
`;
const tlsSettings = (streams: KamailioStreams) => `[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = ${streams.keyFile}
certificate = ${streams.certFile}
`;

function config(
  port: number,
  db: string,
  options: KamailioOptions = {},
  streams?: { tcp: number; tls: number; cfg: string },
): string {
  const { auth } = options;
  return `#!KAMAILIO
debug=2
log_stderror=yes
memdbg=5
memlog=5
children=2
auto_aliases=no
listen=udp:127.0.0.1:${port}
alias="127.0.0.1:${port}"
${streams ? streamConfig(streams) : ''}mpath="${MODULES}"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "db_text.so"
loadmodule "presence.so"
loadmodule "presence_xml.so"
loadmodule "presence_mwi.so"
modparam("presence", "db_url", "text://${db}")
modparam("presence", "server_address", "sip:127.0.0.1:${port}")
modparam("presence", "subs_db_mode", 2)
modparam("presence_xml", "db_url", "text://${db}")
modparam("presence_xml", "force_active", 1)
${options.dialogInfo ? dialogInfoModules(port, db) : ''}${auth ? authModules(db, auth) : ''}${streams ? tlsModule(streams.cfg) : ''}
request_route {
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  if (is_method("OPTIONS")) { sl_send_reply("200", "OK"); exit; }${options.dialogInfo ? DIALOG_INFO_ROUTE : ''}
  if (is_method("PUBLISH|SUBSCRIBE")) {
    ${auth ? AUTH_CHECK : ''}if (!t_newtran()) { sl_reply_error(); exit; }
    if (is_method("PUBLISH")) handle_publish(); else handle_subscribe();
    t_release();
    exit;
  }
  if (is_method("ACK")) exit;
  sl_send_reply("405", "Method Not Allowed");
}
`;
}

/** Resolves once Kamailio answers an OPTIONS on the port (a readiness probe, not a sleep). */
async function waitForSip(port: number, timeoutMs = 15_000): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const local = socket.address().port;
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => {
        // the probe stops with the wait: the socket is closed next, and a send on it would throw
        clearInterval(probe);
        reject(new Error(`no SIP answer on 127.0.0.1:${port} after ${timeoutMs} ms`));
      }, timeoutMs);
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

/**
 * Debian's presentity template says `sender(string)`, but handle_publish() without a sender URI stores
 * none, and db_text then refuses to load the table it wrote at shutdown ("null value not allowed -
 * field 8"): the presence module, and Kamailio, do not start again. Nullable, a restart keeps the store.
 */
async function reloadablePresentity(db: string): Promise<void> {
  const file = join(db, 'presentity');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace('sender(string)', 'sender(string,null)'));
}

export async function startKamailio(options: KamailioOptions = {}): Promise<Kamailio> {
  const { auth, streams } = options;
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-kamailio-'));
  const db = join(dir, 'db');
  await cp(DBTEXT_TEMPLATES, db, { recursive: true });
  await reloadablePresentity(db);
  const port = await freeUdpPort();
  if (auth)
    await appendFile(join(db, 'subscriber'), `1:${auth.username}:127.0.0.1:${auth.password}:unused:unused\n`);
  const cfg = join(dir, 'kamailio.cfg');
  const streamPorts = streams
    ? { tcp: await freePort(), tls: await freePort(), cfg: join(dir, 'tls.cfg') }
    : undefined;
  if (streams && streamPorts) await writeFile(streamPorts.cfg, tlsSettings(streams));
  await writeFile(cfg, config(port, db, options, streamPorts));
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
    ...(auth ? { auth } : {}),
    ...(streamPorts ? { tcpPort: streamPorts.tcp, tlsPort: streamPorts.tls } : {}),
    host: '127.0.0.1',
    port,
    domain: '127.0.0.1',
    async start() {
      if (child) return;
      // -DD: stay in the foreground with the worker processes as children; -E: log to stderr;
      // detached: its own process group, so that kill() reaches the workers too
      const args = ['-f', cfg, '-DD', '-E', '-Y', dir, '-m', '64', '-M', '8'];
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
