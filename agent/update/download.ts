// Fetches the announced package over HTTP(S), reading no more than its announced size: a wrong or
// hostile server cannot fill the desk's memory, nor hold the update open for ever. node:http, not
// fetch(): the unit runs Node with --jitless, which has no WebAssembly, and fetch's HTTP parser
// (undici's llhttp) is WebAssembly: under the unit, fetch() ends the process.
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';

/** The package's bytes; throws with the reason (status, too large, timed out, network). */
export function downloadPackage(url: string, size: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      request.destroy();
      reject(new Error(`download: ${reason}`));
    };
    const receive = (response: IncomingMessage) => {
      if (response.statusCode !== 200) return fail(`HTTP ${response.statusCode} from ${url}`);
      const chunks: Buffer[] = [];
      let length = 0;
      response.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > size) fail(`more than the announced ${size} bytes`);
        else chunks.push(chunk);
      });
      response.on('end', () => resolve(Buffer.concat(chunks)));
      response.on('error', (e) => fail(e.message));
    };
    const get = new URL(url).protocol === 'https:' ? httpsGet : httpGet;
    const request = get(url, { signal: AbortSignal.timeout(timeoutMs) }, receive);
    request.on('error', (e) =>
      fail(e.name === 'AbortError' ? `no package within ${timeoutMs / 1000} s` : e.message),
    );
  });
}
