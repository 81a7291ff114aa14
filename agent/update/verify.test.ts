import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type DeviceUpdate, packageStatement } from '../../protocol/index.js';
import { downloadPackage } from './download.js';
import { packageProblem, signatureProblem, updateKey } from './verify.js';

const it_ = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const pem = (k: typeof it_.publicKey) => k.export({ type: 'spki', format: 'pem' }).toString();
const bytes = Buffer.from('the built agent, gzipped');

function announce(body: Buffer, signer = it_.privateKey, version = '0.2.0'): DeviceUpdate {
  const sha256 = createHash('sha256').update(body).digest('hex');
  const statement = Buffer.from(packageStatement(version, body.length, sha256));
  return {
    v: 1,
    id: 'u-1',
    version,
    url: 'http://127.0.0.1/a.tar.gz',
    size: body.length,
    sha256,
    signature: sign(null, statement, signer).toString('base64'),
  };
}

describe('agent package verification', () => {
  const key = updateKey(pem(it_.publicKey));

  it("accepts IT's package: size, hash and signature hold", () => {
    expect(packageProblem(bytes, announce(bytes), key)).toBeUndefined();
  });

  it('refuses bytes with another hash (a changed package, same size)', () => {
    const changed = Buffer.from(bytes);
    changed.writeUInt8(changed.readUInt8(0) ^ 1, 0);
    expect(packageProblem(changed, announce(bytes), key)).toMatch(/^sha256 [0-9a-f]{64}, announced/);
  });

  it('refuses bytes of another size', () => {
    expect(packageProblem(Buffer.concat([bytes, Buffer.from('x')]), announce(bytes), key)).toBe(
      `size ${bytes.length + 1} bytes, announced ${bytes.length}`,
    );
  });

  it('refuses a signature by another key, and a signed statement moved to another version', () => {
    expect(packageProblem(bytes, announce(bytes, other.privateKey), key)).toMatch(/signature is not IT's/);
    const replayed = { ...announce(bytes), version: '0.3.0' };
    expect(signatureProblem(replayed, key)).toMatch(/signature is not IT's/);
    expect(packageProblem(bytes, replayed, key)).toMatch(/signature is not IT's/);
  });

  it('the desk holds a public Ed25519 key only: a private key or another algorithm is refused', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => updateKey(pem(rsa.publicKey))).toThrow('not an Ed25519 public key (rsa)');
    const priv = it_.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    // createPublicKey derives the public half from a private key: the file must not hold one
    expect(() => updateKey(priv)).toThrow(/private key/);
  });

  it('downloads no more than the announced size, and says why a download fails', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/missing') res.writeHead(404).end();
      else res.end(Buffer.alloc(1024 * 1024, 1));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await expect(downloadPackage(`${base}/big`, 1000, 5000)).rejects.toThrow(
        'download: more than the announced 1000 bytes',
      );
      await expect(downloadPackage(`${base}/missing`, 1000, 5000)).rejects.toThrow(
        `download: HTTP 404 from ${base}/missing`,
      );
      expect((await downloadPackage(`${base}/exact`, 1024 * 1024, 5000)).length).toBe(1024 * 1024);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
