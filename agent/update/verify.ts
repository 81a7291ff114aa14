// Whether downloaded bytes are the package IT announced: its size, its SHA-256 and IT's Ed25519
// signature over the statement naming version, size and hash (protocol/agent-update.ts). Pure: the
// bytes and the key in, the first problem out, so every refusal is testable without a desk.
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { type DeviceUpdate, packageStatement } from '../../protocol/index.js';

/** IT's public key from its PEM text; throws when it is not an Ed25519 public key. */
export function updateKey(pem: string): KeyObject {
  // createPublicKey would derive the public half of a private key: the private key must never be on a desk
  if (pem.includes('PRIVATE KEY'))
    throw new Error('a private key: give the desk the public key only (openssl pkey -pubout)');
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`not an Ed25519 public key (${key.asymmetricKeyType ?? 'unknown type'})`);
  return key;
}

/** Why the announcement's own signature does not hold, or undefined when it does. */
export function signatureProblem(update: DeviceUpdate, key: KeyObject): string | undefined {
  const statement = Buffer.from(packageStatement(update.version, update.size, update.sha256));
  const signed = verify(null, statement, key, Buffer.from(update.signature, 'base64'));
  return signed ? undefined : "signature is not IT's (wrong key, or the version, size or hash was changed)";
}

/** Why `bytes` are not the announced package, or undefined when size, hash and signature all hold. */
export function packageProblem(bytes: Buffer, update: DeviceUpdate, key: KeyObject): string | undefined {
  if (bytes.length !== update.size) return `size ${bytes.length} bytes, announced ${update.size}`;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== update.sha256) return `sha256 ${sha256}, announced ${update.sha256}`;
  return signatureProblem(update, key);
}
