// A password, shared secret or token kept in a file of its own (a systemd credential, a file an outside
// job renews), never on the command line (every user of the host reads it in `ps`) nor in a config.
// Trailing whitespace is not part of the secret: an editor's newline, Windows' CRLF (a CR left on the
// webhook secret made every signature fail: 401 for every request), a space after a paste. A secret
// can therefore not end in a space; one with a line break inside is refused.
import { ConfigFileError } from './config-file-error.js';
import { readTextFile } from './text-file.js';

/** The file's one line, trailing whitespace dropped; `what` says whose secret it is. */
export function readSecretFile(path: string, what: string): string {
  const text = readTextFile(path, what).replace(/\s+$/, '');
  if (text === '' || /[\r\n]/.test(text))
    throw new ConfigFileError(`${what} ${path}`, ['must hold the secret on one line']);
  return text;
}
