// What IT hands a command on stdin: a password, typed or piped.
import type { Readable } from 'node:stream';

/** The first line of stdin: `--password-stdin` keeps the password off the command line (and `ps`). */
export async function firstLine(stdin: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}
