// deploy/kamailio/kamailio.cfg as shipped (started by test/support/kamailio.ts with only its site
// defines), for what the bridge and the phones need of it besides call routing (call-routing.test.ts):
// OPTIONS sip:{domain} answered (the bridge's keepalive), the phones' dialog state NOTIFYed to an
// `Event: dialog` watcher during a real call (RFC 4235: presence_dialoginfo + pua_dialoginfo), and the
// registrations reloaded from its db_text tables after a restart; WITH_AUTH challenging, WITH_TLS speaking TLS.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freeTcpPort, type Kamailio, startKamailio } from '../support/kamailio.js';
import { type SipPhone, startPhone } from '../support/sip-phones.js';
import { type SipProbe, sipProbe } from '../support/sip-probe.js';
import { makeTestPki } from '../support/tls.js';

describe('the shipped Kamailio config', () => {
  let kamailio: Kamailio;
  let probe: SipProbe;
  const phones: SipPhone[] = [];

  beforeAll(async () => {
    // calls ring as without hanvisa here: what is tested is the rest of the config
    kamailio = await startKamailio({ defines: ['WITHOUT_HANVISA'] });
    probe = await sipProbe();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    probe?.close();
    await kamailio?.dispose();
  });

  it('answers the bridge keepalive, OPTIONS sip:{domain}', async () => {
    expect(await probe.request('OPTIONS', `sip:${kamailio.domain}`, kamailio.port)).toMatch(/^SIP\/2\.0 200/);
  });

  it("NOTIFYs a person's dialog state during a real call: early while it rings, confirmed once answered", async () => {
    const caller = await startPhone(kamailio, '1000');
    // the desk answers when the test says, after the early state is seen: an auto-answer can come
    // before pua_dialoginfo's early NOTIFY, and CI saw only 'confirmed'
    const desk = await startPhone(kamailio, '4711');
    phones.push(caller, desk);
    const answer = await probe.request('SUBSCRIBE', `sip:4711@127.0.0.1:${kamailio.port}`, kamailio.port, [
      'Event: dialog',
      'Accept: application/dialog-info+xml',
      'Expires: 600',
    ]);
    expect(answer).toMatch(/^SIP\/2\.0 20[02]/);
    const states = () =>
      probe.received.flatMap((n) => [...n.matchAll(/<state>(\w+)<\/state>/g)].map((m) => m[1] as string));
    await caller.dial('4711');
    await desk.next('CALL_INCOMING');
    await vi.waitFor(() => expect(states()).toContain('early'), 10_000);
    expect(states()).not.toContain('confirmed');
    await desk.accept();
    await desk.next('CALL_ESTABLISHED');
    await vi.waitFor(() => expect(states()).toContain('confirmed'), 10_000);
    await caller.hangup();
    await vi.waitFor(() => expect(states().at(-1)).toBe('terminated'), 10_000);
  }, 30_000);

  it('reloads the registrations from its db_text tables after a restart: a call still rings the desk', async () => {
    const caller = await startPhone(kamailio, '1001');
    const desk = await startPhone(kamailio, '4712');
    phones.push(caller, desk);
    // db_text writes its tables when Kamailio stops (a crash would lose them: the config says so)
    await kamailio.stop();
    await kamailio.start();
    const from = desk.events().length;
    await caller.dial('4712');
    await desk.next('CALL_INCOMING', { from });
    await caller.hangup();
    // every table it wrote at the stop (presentity, active_watchers, pua … from the call above) loaded
    expect(kamailio.log()).not.toMatch(/ERROR: db_text/);
  }, 60_000);
});

describe('the shipped Kamailio config with -A WITH_AUTH', () => {
  it('challenges a phone that registers without credentials', async () => {
    const kamailio = await startKamailio({ defines: ['WITH_AUTH'] });
    const probe = await sipProbe();
    try {
      const answer = await probe.request('REGISTER', `sip:127.0.0.1:${kamailio.port}`, kamailio.port);
      expect(answer).toMatch(/^SIP\/2\.0 401/);
      expect(answer).toMatch(/^WWW-Authenticate: Digest /m);
      // the bridge's keepalive is answered without credentials
      expect(await probe.request('OPTIONS', `sip:${kamailio.domain}`, kamailio.port)).toMatch(
        /^SIP\/2\.0 200/,
      );
    } finally {
      probe.close();
      await kamailio.dispose();
    }
  }, 60_000);
});

describe('the shipped Kamailio config with -A WITH_TLS', () => {
  it('speaks SIP over TLS with the certificate of its tls.cfg', async () => {
    const pki = await makeTestPki();
    const port = await freeTcpPort();
    const tlsCfg = join(pki.dir, 'tls.cfg');
    await writeFile(
      tlsCfg,
      [
        '[server:default]',
        'method = TLSv1.2+',
        'verify_certificate = no',
        'require_certificate = no',
        `certificate = ${pki.valid.certFile}`,
        `private_key = ${pki.valid.keyFile}`,
        '',
      ].join('\n'),
    );
    const kamailio = await startKamailio({
      defines: ['WITH_TLS', `LISTEN_TLS=tls:127.0.0.1:${port}`, `TLS_CONFIG="${tlsCfg}"`],
    });
    try {
      const socket = connect({
        host: '127.0.0.1',
        port,
        ca: readFileSync(pki.caFile),
        servername: 'localhost',
      });
      const answer = await new Promise<string>((resolve, reject) => {
        let text = '';
        socket.on('error', reject);
        socket.on('data', (d) => {
          text += d;
          if (/\r\n\r\n/.test(text)) resolve(text);
        });
        socket.once('secureConnect', () =>
          socket.write(
            [
              `OPTIONS sip:${kamailio.domain} SIP/2.0`,
              'Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKtls1',
              'Max-Forwards: 70',
              'From: <sip:probe@127.0.0.1>;tag=t1',
              `To: <sip:${kamailio.domain}>`,
              'Call-ID: tls-probe-1',
              'CSeq: 1 OPTIONS',
              'Content-Length: 0',
              '',
              '',
            ].join('\r\n'),
          ),
        );
      });
      socket.destroy();
      expect(answer).toMatch(/^SIP\/2\.0 200/);
    } finally {
      await kamailio.dispose();
      await pki.dispose();
    }
  }, 60_000);
});
