// Fetches the announced package over HTTP(S), reading no more than its announced size: a wrong or
// hostile server cannot fill the desk's disk or memory, nor hold the update open for ever.
/** The package's bytes; throws with the reason (status, too large, timed out, network). */
export async function downloadPackage(url: string, size: number, timeoutMs: number): Promise<Buffer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok || !response.body) throw new Error(`download: HTTP ${response.status} from ${url}`);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response.body) {
    length += chunk.length;
    // throwing ends the loop, which cancels the response: the rest is never read
    if (length > size) throw new Error(`download: more than the announced ${size} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
