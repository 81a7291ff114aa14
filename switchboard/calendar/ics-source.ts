// An iCalendar feed by URL (Exchange's and Google's published calendar links, webcal://) with
// If-None-Match / If-Modified-Since, or a file some other job keeps up to date (checked by mtime).
import { readFile, stat } from 'node:fs/promises';
import { type CalendarSource, FETCH_TIMEOUT_MS, SourceError, type Validators } from './source.js';

/** A published link without the secret part that makes it work, for logs and the board. */
function redact(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.length > 24 ? `${url.pathname.slice(0, 24)}…` : url.pathname}`;
}

export function icsUrlSource(address: string): CalendarSource {
  const url = new URL(address.replace(/^webcal:/i, 'https:'));
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new SourceError(`feed URL must be http(s) or webcal, got ${url.protocol}`);
  return {
    label: redact(url),
    async fetch(previous) {
      const headers: Record<string, string> = { accept: 'text/calendar, */*;q=0.1' };
      if (previous.etag) headers['if-none-match'] = previous.etag;
      if (previous.lastModified) headers['if-modified-since'] = previous.lastModified;
      let response: Response;
      try {
        response = await fetch(url, { headers, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      } catch (e) {
        throw new SourceError(`cannot fetch: ${(e as Error).message}`);
      }
      if (response.status === 304) return { changed: false };
      if (!response.ok) throw new SourceError(`HTTP ${response.status} ${response.statusText}`);
      const validators: Validators = {};
      const etag = response.headers.get('etag');
      const lastModified = response.headers.get('last-modified');
      if (etag) validators.etag = etag;
      if (lastModified) validators.lastModified = lastModified;
      return { changed: true, calendars: [await response.text()], validators };
    },
  };
}

export function icsFileSource(path: string): CalendarSource {
  return {
    label: path,
    async fetch(previous) {
      let version: string;
      try {
        const s = await stat(path);
        version = `${s.mtimeMs}:${s.size}`;
        if (previous.etag === version) return { changed: false };
        return { changed: true, calendars: [await readFile(path, 'utf8')], validators: { etag: version } };
      } catch (e) {
        // in the words of every other file hanvisa is given (config/text-file.ts), read here without blocking
        const code = (e as NodeJS.ErrnoException).code;
        throw new SourceError(
          code === 'ENOENT' ? `no such file: ${path}` : `cannot read: ${code ?? (e as Error).message}`,
        );
      }
    },
  };
}
