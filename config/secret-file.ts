// A password, shared secret or token kept in a file of its own (a systemd credential, a file an outside
// job renews), never on the command line (every user of the host reads it in `ps`) nor in a config.
import { ConfigFileError } from './config-file-error.js';
import { readTextFile } from './text-file.js';

/** The file's one line (one trailing newline dropped); `what` says whose secret it is. */
export function readSecretFile(path: string, what: string): string {
  const text = readTextFile(path, what).replace(/\r?\n$/, '');
  if (text === '' || /[\r\n]/.test(text))
    throw new ConfigFileError(`${what} ${path}`, ['must hold the secret on one line']);
  return text;
}
