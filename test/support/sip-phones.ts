// Real SIP phones for the call-routing tests: each a baresip that REGISTERs an extension with the test
// Kamailio, places calls, and answers, lets ring or rejects (486 Busy) what rings. Driven over baresip's
// ctrl_tcp module (netstring JSON: commands in, call events out), so a test waits on the phone's own
// events ("incoming call", "ringing", "established") rather than on sleeps. With SIP trace on, the
// INVITE a phone received is in its log, to read the headers hanvisa added.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort, freeUdpPort, type Kamailio } from './kamailio.js';

/** How the phone treats a call that rings: pick up at once, let it ring, or reject it as busy. */
export type Answering = 'auto' | 'ring' | 'busy';

export interface PhoneEvent {
  type: string;
  peeruri?: string;
  id?: string;
  param?: string;
}

export interface SipPhone {
  ext: string;
  /** every call event so far (CALL_INCOMING, CALL_RINGING, CALL_ESTABLISHED, CALL_CLOSED, …) */
  events(): PhoneEvent[];
  /** resolves with the first event (from index `from` on) of `type`; rejects after `timeoutMs` */
  next(type: string, options?: { from?: number; timeoutMs?: number }): Promise<PhoneEvent>;
  dial(ext: string): Promise<void>;
  /** picks up the call that rings (answering 'ring': the test says when) */
  accept(): Promise<void>;
  hangup(): Promise<void>;
  answering(mode: Answering): void;
  log(): string;
  stop(): Promise<void>;
}

/** Netstrings ("12:{...json...},") off a TCP stream. */
function netstrings(socket: Socket, onMessage: (text: string) => void): void {
  let buffer = Buffer.alloc(0);
  socket.on('data', (data) => {
    buffer = Buffer.concat([buffer, data]);
    for (;;) {
      const colon = buffer.indexOf(0x3a);
      if (colon === -1) return;
      const length = Number(buffer.subarray(0, colon).toString());
      if (buffer.length < colon + 1 + length + 1) return;
      onMessage(buffer.subarray(colon + 1, colon + 1 + length).toString());
      buffer = buffer.subarray(colon + 2 + length);
    }
  });
}

async function connectControl(port: number, proc: ChildProcess, output: () => string): Promise<Socket> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`baresip exited at start:\n${output().slice(-3000)}`);
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const s = connect(port, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
      });
    } catch (e) {
      // baresip opens its control port a moment after it starts: poll the connect, not a sleep
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** A baresip registered as `ext` on Kamailio; `answering` says what it does with calls that ring. */
export async function startPhone(
  kamailio: Kamailio,
  ext: string,
  answering: Answering = 'ring',
): Promise<SipPhone> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchPhone(kamailio, ext, answering);
    } catch (e) {
      // the ports were free when asked, but another test may bind one first (and baresip binds TCP and
      // TLS beside its UDP port): a phone that could not bind is started again on fresh ports
      if (attempt >= 3 || !/Address already in use/.test((e as Error).message)) throw e;
    }
  }
}

async function launchPhone(kamailio: Kamailio, ext: string, answering: Answering): Promise<SipPhone> {
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-phone-'));
  const [sipPort, ctrlPort] = await Promise.all([freeUdpPort(), freeTcpPort()]);
  await writeFile(
    join(dir, 'config'),
    [
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module ausine.so',
      'module aufile.so',
      'module_app account.so',
      'module_app menu.so',
      'module_app ctrl_tcp.so',
      `sip_listen 127.0.0.1:${sipPort}`,
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      'audio_source ausine,440',
      'audio_player aufile,/dev/null',
      'audio_alert aufile,/dev/null',
      // ausine makes 48 kHz stereo only; baresip resamples for the codec
      'ausrc_srate 48000',
      'auplay_srate 48000',
      'ausrc_channels 2',
      'auplay_channels 2',
      'rtp_timeout 0',
      '',
    ].join('\n'),
  );
  const registrar = `${kamailio.host}:${kamailio.port}`;
  await writeFile(
    join(dir, 'accounts'),
    `<sip:${ext}@${kamailio.domain}>;auth_pass=none;outbound="sip:${registrar}";regint=600;answermode=manual\n`,
  );
  let output = '';
  const waiters = new Set<() => void>();
  const heard = (d: Buffer) => {
    output += d;
    for (const w of [...waiters]) w();
  };
  const proc = spawn('baresip', ['-f', dir, '-s'], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.on('data', heard);
  proc.stderr?.on('data', heard);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const control = await connectControl(ctrlPort, proc, () => output).catch(async (e: Error) => {
    await rm(dir, { recursive: true, force: true });
    throw e;
  });
  const events: PhoneEvent[] = [];
  let mode = answering;
  let token = 0;
  const command = (name: string, params = '') => {
    const json = JSON.stringify({ command: name, params, token: String(++token) });
    control.write(`${Buffer.byteLength(json)}:${json},`);
  };
  // baresip 1.0's accept answers its current call; right after a cancelled one it has been seen (CI,
  // calls-to-statistics) to answer nothing, the new call ringing on. Asked again while the call that
  // came at `at` is neither established nor closed, a few times.
  const autoAccept = (at: number, tries = 3) => {
    command('accept');
    const retry = setTimeout(() => {
      const after = events.slice(at).map((e) => e.type);
      if (
        tries > 1 &&
        mode === 'auto' &&
        !control.destroyed &&
        !after.includes('CALL_ESTABLISHED') &&
        !after.includes('CALL_CLOSED')
      )
        autoAccept(at, tries - 1);
    }, 1000);
    retry.unref();
  };
  netstrings(control, (text) => {
    const m = JSON.parse(text) as PhoneEvent & { event?: boolean };
    if (!m.event) return;
    events.push(m);
    if (m.type === 'CALL_INCOMING') {
      if (mode === 'auto') autoAccept(events.length);
      // baresip rejects an incoming call it hangs up with 486 Busy Here
      if (mode === 'busy') command('hangup');
    }
    for (const w of [...waiters]) w();
  });
  const phone: SipPhone = {
    ext,
    events: () => [...events],
    next(type, { from = 0, timeoutMs = 10_000 } = {}) {
      return new Promise<PhoneEvent>((resolve, reject) => {
        const check = () => {
          const found = events.slice(from).find((e) => e.type === type);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `phone ${ext}: no ${type} in ${timeoutMs} ms; events: ${events.map((e) => e.type).join(', ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async dial(target) {
      command('dial', `sip:${target}@${kamailio.host}:${kamailio.port}`);
    },
    async accept() {
      command('accept');
    },
    async hangup() {
      command('hangup');
    },
    answering(m) {
      mode = m;
    },
    log: () => output,
    async stop() {
      control.destroy();
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
  // registered: baresip says so on its console (the ctrl_tcp event may come before we are connected)
  const registered = new RegExp(`${ext}@\\S+: \\{[^}]*\\} 200 OK`);
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (!registered.test(output)) return;
      waiters.delete(check);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      void phone
        .stop()
        .then(() => reject(new Error(`phone ${ext} did not register:\n${output.slice(-3000)}`)));
    }, 10_000);
    waiters.add(check);
    check();
  });
  return phone;
}
