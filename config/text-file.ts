// Every file IT names to hanvisa (JSON configs, CSV tables, secrets, password files) is read here, so a
// file that is missing says "no such file: PATH" and one that cannot be read says why, the same for all.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { ConfigFileError } from './config-file-error.js';

/** The file's bytes; `what` says which file it is (`agent config`, `--password-file`). */
export function readFileBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigFileError(what, [`no such file: ${path}`]);
    throw new ConfigFileError(`${what} ${path}`, [`cannot read: ${code ?? (e as Error).message}`]);
  }
}

/** A UTF-8 text file; anything else is refused with the fix, as Excel saves CSV in Windows-1252. */
export function readTextFile(path: string, what: string): string {
  const bytes = readFileBytes(path, what);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Excel's plain "CSV (semicolon separated)" is Windows-1252: å, ä, ö would arrive garbled.
    throw new ConfigFileError(`${what} ${path}`, ['not UTF-8: save it from Excel as "CSV UTF-8"']);
  }
}

/**
 * A UTF-8 text file read in pieces (a 25 MB directory export is never in memory whole). Looked up now,
 * so a missing file is refused before anything else happens; bytes that are not UTF-8 are refused when
 * they are reached, with the same words as readTextFile.
 */
export function openTextFile(path: string, what: string): AsyncIterable<string> {
  try {
    if (statSync(path).isDirectory())
      throw new ConfigFileError(`${what} ${path}`, ['cannot read: it is a folder']);
  } catch (e) {
    if (e instanceof ConfigFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigFileError(what, [`no such file: ${path}`]);
    throw new ConfigFileError(`${what} ${path}`, [`cannot read: ${code ?? (e as Error).message}`]);
  }
  return (async function* () {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const decode = (bytes?: Buffer) => {
      try {
        return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
      } catch {
        throw new ConfigFileError(`${what} ${path}`, ['not UTF-8: save it from Excel as "CSV UTF-8"']);
      }
    };
    try {
      for await (const bytes of createReadStream(path, { highWaterMark: 64 * 1024 }))
        yield decode(bytes as Buffer);
      yield decode();
    } catch (e) {
      if (e instanceof ConfigFileError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new ConfigFileError(`${what} ${path}`, [`cannot read: ${code ?? (e as Error).message}`]);
    }
  })();
}
