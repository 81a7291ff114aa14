// What IT hands a command as text: a CSV or JSON file, or a password on stdin.
import { readFile } from 'node:fs/promises';
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
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Excel's plain "CSV (semicolon separated)" is Windows-1252: å, ä, ö would arrive garbled.
    throw new UsageError(`${path} is not UTF-8: save it from Excel as "CSV UTF-8"`);
  }
}
