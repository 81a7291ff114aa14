// The PEM files a command's `--ca`, `--cert`, `--key` (or a config's caFile, certFile, keyFile) name,
// read as every other file is (text-file.ts), into the TLS settings mqtt/ connects with.
import { readFileBytes } from './text-file.js';

/** The files read, or undefined when none is named; a missing or unreadable file names its flag. */
export function readTlsFiles(paths: {
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  servername?: string | undefined;
}) {
  if (!paths.ca && !paths.cert && !paths.key && !paths.servername) return undefined;
  if (Boolean(paths.cert) !== Boolean(paths.key)) throw new Error('--cert and --key go together');
  const read = (flag: string, path: string | undefined) => (path ? readFileBytes(path, flag) : undefined);
  return {
    ca: read('--ca', paths.ca),
    cert: read('--cert', paths.cert),
    key: read('--key', paths.key),
    servername: paths.servername || undefined,
  };
}
