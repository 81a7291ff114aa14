// A local Web Push service for tests (no browser vendor's push service is reachable from here): it
// checks each request as the real ones do, the VAPID JWT (RFC 8292: ES256 under the `k` key, `aud` the
// service's origin, `exp` within 24 h, a mailto:/https: `sub`) and the aes128gcm body (RFC 8188),
// which it decrypts with the subscriber's keys (RFC 8291) as the browser would, keeping each payload.
import { createDecipheriv, createECDH, createHmac, createPublicKey, randomBytes, verify } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PushSubscriptionJson {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface PushService {
  origin: string;
  /** a browser's subscription on this service */
  subscribe(): PushSubscriptionJson;
  /** every decrypted payload, by endpoint */
  received: { endpoint: string; payload: unknown; ttl: number }[];
  /** requests refused, with why */
  refused: string[];
  /** from now on answer 410 Gone for this endpoint (the browser unsubscribed) */
  forget(endpoint: string): void;
  close(): Promise<void>;
}

const b64 = (b: Buffer) => b.toString('base64url');
const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

function checkVapid(header: string | undefined, origin: string, vapidKey: string): string | undefined {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!m) return 'no vapid authorization';
  const [, jwt, k] = m as unknown as [string, string, string];
  if (k !== vapidKey) return 'another vapid key';
  const [h, p, sig] = jwt.split('.') as [string, string, string];
  const raw = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64(raw.subarray(1, 33)), y: b64(raw.subarray(33, 65)) },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(sig, 'base64url'),
  );
  if (!ok) return 'bad jwt signature';
  const head = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as {
    aud?: string;
    exp?: number;
    sub?: string;
  };
  const now = Date.now() / 1000;
  if (head.alg !== 'ES256') return 'jwt not ES256';
  if (claims.aud !== origin) return `jwt aud ${claims.aud}`;
  if (!claims.exp || claims.exp < now || claims.exp > now + 24 * 3600) return 'jwt exp';
  if (!/^(mailto:|https:)/.test(claims.sub ?? '')) return 'jwt sub';
  return undefined;
}

/** RFC 8291 / 8188: one record, as the browser decrypts it. */
function decrypt(body: Buffer, receiver: ReturnType<typeof createECDH>, auth: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const idlen = body[20] as number;
  const senderKey = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const shared = receiver.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiver.getPublicKey(), senderKey]);
  const ikm = hmac(hmac(auth, shared), Buffer.concat([keyInfo, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const plain = Buffer.concat([
    decipher.update(ciphertext.subarray(0, ciphertext.length - 16)),
    decipher.final(),
  ]);
  // the last record ends with the delimiter 2, then padding zeros
  return plain.subarray(0, plain.lastIndexOf(2));
}

export async function startPushService(vapidPublicKey: string): Promise<PushService> {
  const subscribers = new Map<string, { ecdh: ReturnType<typeof createECDH>; auth: Buffer }>();
  const gone = new Set<string>();
  const received: PushService['received'] = [];
  const refused: string[] = [];
  let origin = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const endpoint = `${origin}${req.url}`;
      const refuse = (status: number, why: string) => {
        refused.push(why);
        res.writeHead(status).end(why);
      };
      if (gone.has(endpoint)) return refuse(410, 'gone');
      const subscriber = subscribers.get(endpoint);
      if (req.method !== 'POST' || !subscriber) return refuse(404, 'no such subscription');
      const why = checkVapid(req.headers.authorization, origin, vapidPublicKey);
      if (why) return refuse(403, why);
      if (req.headers['content-encoding'] !== 'aes128gcm') return refuse(415, 'not aes128gcm');
      const ttl = Number(req.headers.ttl);
      if (!Number.isInteger(ttl)) return refuse(400, 'no TTL');
      try {
        const plain = decrypt(Buffer.concat(chunks), subscriber.ecdh, subscriber.auth);
        received.push({ endpoint, payload: JSON.parse(plain.toString('utf8')), ttl });
      } catch (e) {
        return refuse(400, `cannot decrypt: ${(e as Error).message}`);
      }
      res.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    subscribe() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const endpoint = `${origin}/push/${b64(randomBytes(12))}`;
      subscribers.set(endpoint, { ecdh, auth });
      return { endpoint, keys: { p256dh: b64(ecdh.getPublicKey()), auth: b64(auth) } };
    },
    received,
    refused,
    forget: (endpoint) => void gone.add(endpoint),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
