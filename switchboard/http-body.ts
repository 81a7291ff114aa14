// What the switchboard's HTTP services share about a request: a refusal with its status, and reading a
// body that may not exceed a limit (checked against the declared length first, then while reading).
import type { IncomingMessage } from 'node:http';

/**
 * A refusal: its status and reason are what the client gets; `field` and `code` (when given) let a page
 * put its own sentence, in its own language, next to the field the refusal is about.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const tooBig = () => new HttpError(413, `body larger than ${maxBytes} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw tooBig();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooBig();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
