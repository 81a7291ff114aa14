// A small SIP message codec (RFC 3261 §7): just what the SIP adapter needs to SUBSCRIBE, PUBLISH,
// answer NOTIFY and ping with OPTIONS over UDP. Written here rather than taken from npm: `sip` (kirm)
// keeps one global stack per process (the bridge runs one adapter per organisation) and has no types,
// and sip.js / JsSIP are WebSocket clients for browsers. parseMessage never throws past SipParseError,
// and sip/message.test.ts fuzzes it.

export class SipParseError extends Error {}

/** Header names lower-cased, compact forms (RFC 3261 §7.3.3) expanded. Values in arrival order. */
export type Headers = Map<string, string[]>;

export type SipMessage =
  | { kind: 'request'; method: string; uri: string; headers: Headers; body: string }
  | { kind: 'response'; status: number; reason: string; headers: Headers; body: string };

const COMPACT: Record<string, string> = {
  i: 'call-id',
  f: 'from',
  t: 'to',
  v: 'via',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  o: 'event',
  k: 'supported',
  u: 'allow-events',
  s: 'subject',
};

/** The largest datagram we accept (a UDP SIP message should stay under the path MTU anyway). */
export const MAX_MESSAGE_BYTES = 65_507;

const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;

export function parseMessage(text: string): SipMessage {
  if (text.length > MAX_MESSAGE_BYTES) throw new SipParseError('message too large');
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) throw new SipParseError('no blank line after the headers');
  const lines = text.slice(0, end).split('\r\n');
  const start = lines.shift() ?? '';
  const headers: Headers = new Map();
  let last: string | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      // folded continuation of the previous header (RFC 3261 §7.3.1)
      const values = last === undefined ? undefined : headers.get(last);
      if (!values) throw new SipParseError('continuation line without a header');
      values[values.length - 1] = `${values.at(-1)} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipParseError(`malformed header line ${JSON.stringify(line.slice(0, 40))}`);
    const raw = line.slice(0, colon).trim().toLowerCase();
    if (!TOKEN.test(raw))
      throw new SipParseError(`malformed header name ${JSON.stringify(raw.slice(0, 40))}`);
    const name = COMPACT[raw] ?? raw;
    const value = line.slice(colon + 1).trim();
    // Via and a few others may carry several comma-separated values in one line
    const values = name === 'via' ? value.split(/,(?=\s*SIP\/)/i).map((v) => v.trim()) : [value];
    headers.set(name, [...(headers.get(name) ?? []), ...values]);
    last = name;
  }
  let body = text.slice(end + 4);
  const length = headers.get('content-length')?.[0];
  if (length !== undefined) {
    if (!/^\d{1,6}$/.test(length)) throw new SipParseError(`bad Content-Length ${JSON.stringify(length)}`);
    const n = Number(length);
    if (Buffer.byteLength(body) < n) throw new SipParseError('body shorter than Content-Length');
    body = Buffer.from(body).subarray(0, n).toString();
  }
  const response = /^SIP\/2\.0 ([1-6]\d\d) ?(.*)$/.exec(start);
  if (response)
    return { kind: 'response', status: Number(response[1]), reason: response[2] ?? '', headers, body };
  const request = /^([A-Za-z]+) (\S+) SIP\/2\.0$/.exec(start);
  if (request)
    return {
      kind: 'request',
      method: (request[1] as string).toUpperCase(),
      uri: request[2] as string,
      headers,
      body,
    };
  throw new SipParseError(`malformed start line ${JSON.stringify(start.slice(0, 60))}`);
}

export function header(m: { headers: Headers }, name: string): string | undefined {
  return m.headers.get(name)?.[0];
}

/** Renders a message; Content-Length is always set from the body. */
export function formatMessage(m: SipMessage): string {
  const start = m.kind === 'request' ? `${m.method} ${m.uri} SIP/2.0` : `SIP/2.0 ${m.status} ${m.reason}`;
  const lines = [start];
  for (const [name, values] of m.headers) {
    if (name === 'content-length') continue;
    for (const v of values) lines.push(`${canonical(name)}: ${v}`);
  }
  lines.push(`Content-Length: ${Buffer.byteLength(m.body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${m.body}`;
}

const SPELLING: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'sip-etag': 'SIP-ETag',
  'sip-if-match': 'SIP-If-Match',
};
function canonical(name: string): string {
  return (
    SPELLING[name] ?? name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())
  );
}

/** A header parameter such as `tag` of From/To or `branch` of Via. */
export function param(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  const m = new RegExp(`;\\s*${name}=([^;,\\s>]+)`, 'i').exec(value);
  return m?.[1];
}

/** `Subscription-State: active;expires=3599` → its state and expires. */
export function subscriptionState(
  value: string | undefined,
): { state: string; expires?: number } | undefined {
  if (!value) return undefined;
  const state = value.split(';')[0]?.trim().toLowerCase() ?? '';
  const expires = param(value, 'expires');
  return { state, ...(expires && /^\d+$/.test(expires) ? { expires: Number(expires) } : {}) };
}

/** The number of a message's CSeq (`3 SUBSCRIBE` → 3); undefined when there is none. */
export function cseqNumber(m: { headers: Headers }): number | undefined {
  const n = /^\s*(\d{1,10})\s/.exec(header(m, 'cseq') ?? '')?.[1];
  return n === undefined ? undefined : Number(n);
}
