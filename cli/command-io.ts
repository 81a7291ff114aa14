import type { Readable } from 'node:stream';

/** What a command reads and writes, so tests can run it in-process; `process` is the real one. */
export interface CommandIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}
