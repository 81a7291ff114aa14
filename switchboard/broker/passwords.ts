// Broker logins from a Mosquitto password file (`mosquitto_passwd`), so the embedded broker and a
// production Mosquitto take the same file. Mosquitto 2 writes `user:$7$ITERATIONS$SALT$HASH`:
// PBKDF2-HMAC-SHA512 with a 64-byte key, salt and hash base64.
import { pbkdf2Sync, timingSafeEqual } from 'node:crypto';

interface Entry {
  iterations: number;
  salt: Buffer;
  hash: Buffer;
}

export type PasswordCheck = (username: string, password: Buffer | undefined) => boolean;

/** Parses the file; throws on a line it cannot read (naming the line, never the hash). */
export function parsePasswordFile(text: string): PasswordCheck {
  const entries = new Map<string, Entry>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const [, kind, iterations, salt, hash] = line.slice(colon + 1).split('$');
    if (colon < 1 || kind !== '7' || !/^\d+$/.test(iterations ?? '') || !salt || !hash)
      throw new Error(`password file line ${i + 1}: not a mosquitto_passwd $7$ (PBKDF2-SHA512) entry`);
    entries.set(line.slice(0, colon), {
      iterations: Number(iterations),
      salt: Buffer.from(salt, 'base64'),
      hash: Buffer.from(hash, 'base64'),
    });
  });
  return (username, password) => {
    const entry = entries.get(username);
    if (!entry || !password) return false;
    const got = pbkdf2Sync(password, entry.salt, entry.iterations, entry.hash.length, 'sha512');
    return timingSafeEqual(got, entry.hash);
  };
}
