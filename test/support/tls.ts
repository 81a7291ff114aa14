// A throwaway PKI for the TLS tests, made with the openssl CLI (Debian's openssl package, already on
// every machine that has Node's TLS): a CA, server certificates signed by it (valid for localhost and
// 127.0.0.1, expired, or for another host name), and a second CA that signed none of them.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ServerCert {
  certFile: string;
  keyFile: string;
}

export interface TestPki {
  dir: string;
  /** the CA that signed the server certificates */
  caFile: string;
  /** a CA that signed nothing here: trusting only it must refuse every server certificate */
  otherCaFile: string;
  valid: ServerCert;
  expired: ServerCert;
  /** valid and signed by the CA, but for broker.other.example only */
  wrongHost: ServerCert;
  dispose(): Promise<void>;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function makeCa(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  await run('openssl', [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    key,
    '-out',
    cert,
    '-subj',
    `/CN=${name}`,
    '-days',
    '2',
  ]);
  return { cert, key };
}

async function makeServer(
  dir: string,
  ca: { cert: string; key: string },
  name: string,
  names: string[],
  days: number,
): Promise<ServerCert> {
  const keyFile = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const certFile = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  await writeFile(ext, `subjectAltName=${names.join(',')}\n`);
  await run('openssl', ['req', ...EC, '-keyout', keyFile, '-out', csr, '-subj', `/CN=${name}`]);
  // -days -1 puts notAfter a day in the past: an expired certificate, otherwise sound
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-CAcreateserial',
    '-days',
    String(days),
    '-extfile',
    ext,
    '-out',
    certFile,
  ]);
  return { certFile, keyFile };
}

export async function makeTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-pki-'));
  const ca = await makeCa(dir, 'hanvisa-test-ca');
  const other = await makeCa(dir, 'other-ca');
  const local = ['DNS:localhost', 'IP:127.0.0.1'];
  return {
    dir,
    caFile: ca.cert,
    otherCaFile: other.cert,
    valid: await makeServer(dir, ca, 'broker', local, 2),
    expired: await makeServer(dir, ca, 'expired', local, -1),
    wrongHost: await makeServer(dir, ca, 'wrong-host', ['DNS:broker.other.example'], 2),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
