// TLS for real: a Mosquitto with TLS listeners (certificates from test/support/tls.ts), and the agent's
// contract session, the board's ingest, the phone bridge and `hanvisa devices list` connecting over mqtts:// and
// verifying the broker. A wrong CA, an expired certificate and a wrong host name are refused: one log
// line naming the cause, every failure counted, the service keeps retrying; the command exits 1.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readTlsFiles } from '../../config/tls-files.js';
import type { Logger } from '../../log/logger.js';
import { encode } from '../../protocol/index.js';
import { ContractSession } from '../../session/contract-session.js';
import { BoardModel } from '../../switchboard/board/model.js';
import { startBridge } from '../../switchboard/phone/bridge.js';
import type { PhoneSystem } from '../../switchboard/phone/port.js';
import { devicesCommand } from '../../switchboard/provisioning/devices-command.js';
import { startModelSession } from '../support/board-session.js';
import { runCommand } from '../support/command.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { makeTestPki, type TestPki } from '../support/tls.js';

const ORG = 'tlsby';
const WILL = encode({
  kind: 'device-state',
  org: ORG,
  deviceId: 'tls-desk',
  body: { v: 1, online: false, at: '2026-12-02T12:00:00.000Z' },
} as Parameters<typeof encode>[0]);

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    debug() {},
    info() {},
    warn: (message, fields) => warnings.push(`${message}: ${String(fields?.error ?? '')}`),
    error() {},
  };
}

const idlePhone: PhoneSystem = {
  system: 'sip',
  async open() {},
  referralChanged() {},
  async close() {},
};

describe('mqtts:// against a real Mosquitto', () => {
  let pki: TestPki;
  let broker: Mosquitto;
  beforeAll(async () => {
    pki = await makeTestPki();
    broker = await startMosquitto({
      tls: { valid: pki.valid, expired: pki.expired, wrongHost: pki.wrongHost },
    });
  });
  afterAll(async () => {
    await broker?.dispose();
    await pki?.dispose();
  });

  const link = (url: string, caFile: string, log: Logger) => {
    const session = new ContractSession({
      url,
      clientId: `tls-desk-${Math.random().toString(16).slice(2, 8)}`,
      keepaliveSeconds: 5,
      will: WILL,
      filters: [],
      log,
      backoff: { minMs: 50, maxMs: 50 },
      login: { tls: readTlsFiles({ ca: caFile }) },
    });
    void session.start([]);
    return session;
  };

  it('agent, board, phone bridge and a CLI command connect and verify the broker', async () => {
    const url = broker.tlsUrls.valid as string;
    const tls = readTlsFiles({ ca: pki.caFile });
    const desk = link(url, pki.caFile, recordingLog());
    const board = await startModelSession({
      brokerUrl: url,
      model: new BoardModel(),
      orgs: [ORG],
      login: { tls },
    });
    const bridge = startBridge({ brokerUrl: url, login: { tls }, org: ORG, phone: idlePhone });
    try {
      await vi.waitFor(() => expect(desk.status).toBe('online'), { timeout: 15_000 });
      await board.ready;
      await bridge.ready;
      // by its IP address here; the certificate names both localhost and 127.0.0.1
      const byName = url.replace('127.0.0.1', 'localhost');
      const cli = await runCommand(devicesCommand, [
        'list',
        '--org',
        ORG,
        '--broker',
        byName,
        '--ca',
        pki.caFile,
      ]);
      expect(cli.stderr).toBe('');
      expect(cli.code).toBe(0);
    } finally {
      await desk.close();
      await board.close();
      await bridge.stop();
    }
  });

  const refusals = [
    ['a CA that did not sign the certificate', 'valid', 'other', /not signed by a trusted CA/],
    ['an expired certificate', 'expired', 'ca', /has expired \(CERT_HAS_EXPIRED\)/],
    ['a certificate for another host name', 'wrongHost', 'ca', /for another host name/],
  ] as const;

  it.each(refusals)(
    'refuses %s: one log line naming the cause, counted, still retrying',
    async (_, listener, trust, cause) => {
      const log = recordingLog();
      const desk = link(
        broker.tlsUrls[listener] as string,
        trust === 'ca' ? pki.caFile : pki.otherCaFile,
        log,
      );
      try {
        await vi.waitFor(() => expect(desk.failures()).toBeGreaterThanOrEqual(3), {
          timeout: 15_000,
        });
        expect(desk.connected).toBe(false);
        expect(log.warnings).toHaveLength(1);
        expect(log.warnings[0]).toMatch(cause);
      } finally {
        await desk.close();
      }
    },
  );

  it.each(refusals)(
    'hanvisa devices list refuses %s and exits 1 naming the cause',
    async (_, listener, trust, cause) => {
      const ca = trust === 'ca' ? pki.caFile : pki.otherCaFile;
      const cli = await runCommand(devicesCommand, [
        'list',
        '--org',
        ORG,
        '--broker',
        broker.tlsUrls[listener] as string,
        '--ca',
        ca,
      ]);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toMatch(cause);
    },
  );

  it('a --ca file that is not there is one line, exit 2 as for every file the command is given', async () => {
    const cli = await runCommand(devicesCommand, [
      'list',
      '--org',
      ORG,
      '--broker',
      'mqtts://127.0.0.1:1',
      '--ca',
      '/nonexistent/ca.pem',
    ]);
    expect(cli).toMatchObject({
      code: 2,
      stderr: 'hanvisa devices: --ca: no such file: /nonexistent/ca.pem\n',
    });
  });
});
