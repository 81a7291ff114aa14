// What IT hands a command as text: a CSV or JSON file, or a password on stdin.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { UsageError } from './usage-error.js';

/** The first line of stdin: `--password-stdin` keeps the password off the command line (and `ps`). */
export async function firstLine(stdin: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** A UTF-8 text file (CSV, JSON) an IT person wrote; anything else is a usage error that says why. */
export async function readTextFile(path: string): Promise<string> {
  let text = '';
  for await (const chunk of await openTextFile(path)) text += chunk;
  return text;
}

/**
 * A UTF-8 text file read in pieces (a large CSV): looked up now, so that a missing file is a usage
 * error before anything else happens; bytes that are not UTF-8 are one when they are reached.
 */
export async function openTextFile(path: string): Promise<AsyncIterable<string>> {
  const found = await stat(path).catch((e: Error) => {
    throw new UsageError(`cannot read ${path}: ${e.message}`);
  });
  if (found.isDirectory()) throw new UsageError(`cannot read ${path}: it is a folder`);
  return (async function* () {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const decode = (bytes?: Buffer) => {
      try {
        return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
      } catch {
        // Excel's plain "CSV (semicolon separated)" is Windows-1252: å, ä, ö would arrive garbled.
        throw new UsageError(`${path} is not UTF-8: save it from Excel as "CSV UTF-8"`);
      }
    };
    try {
      for await (const bytes of createReadStream(path, { highWaterMark: 64 * 1024 }))
        yield decode(bytes as Buffer);
      yield decode();
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
    }
  })();
}
