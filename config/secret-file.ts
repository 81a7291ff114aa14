// A password, shared secret or token named in a config file but kept in a file of its own (a systemd
// credential, a file an outside job renews), so the config itself holds no secret.
import { readFileSync } from 'node:fs';
import { ConfigFileError } from './json-file.js';

/** The file's one line (one trailing newline dropped); `what` says whose secret it is. */
export function readSecretFile(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new ConfigFileError(`${what} ${path}`, [
      `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    ]);
  }
  if (text === '' || /[\r\n]/.test(text))
    throw new ConfigFileError(`${what} ${path}`, ['must hold the secret on one line']);
  return text;
}
