// Web pages for virtual desks: `/` lists them, `/desk/{name}` shows one desk's keys (real buttons) and
// LEDs (blinking in CSS), live over SSE; POST /desk/{name}/keys presses a key. node:http, no framework,
// each page self-contained (inline CSS and script under a per-response CSP nonce).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { LedFrame } from '../port.js';
import type { VirtualPanel } from './panel.js';

export interface VirtualDesk {
  panel: VirtualPanel;
  label: string;
  /** caption per key number */
  keyLabels: readonly string[];
  /** caption per LED number; LED n sits beside key n */
  ledLabels?: readonly string[];
}

export interface DeskPagesOptions {
  panels: ReadonlyMap<string, VirtualDesk>;
  /** 0 picks a free port */
  port?: number;
  host?: string;
}

export interface DeskPages {
  url: string;
  port: number;
  /** counts bad requests (400/404/405/413/415) */
  readonly rejected: number;
  close(): Promise<void>;
}

export type KeyGesture = 'tap' | 'hold' | 'press' | 'release';
const GESTURES: readonly KeyGesture[] = ['tap', 'hold', 'press', 'release'];
const MAX_BODY = 1024;

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** Validates a key request body; the reason names what is wrong. */
export function parseKeyRequest(
  body: string,
  keys: number,
): { ok: true; key: number; gesture: KeyGesture } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  if (typeof json !== 'object' || json === null) return { ok: false, reason: 'body must be an object' };
  const { key, gesture = 'tap' } = json as { key?: unknown; gesture?: unknown };
  if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key >= keys) {
    return { ok: false, reason: `key: an integer 0..${keys - 1}` };
  }
  if (typeof gesture !== 'string' || !GESTURES.includes(gesture as KeyGesture)) {
    return { ok: false, reason: `gesture: one of ${GESTURES.join(', ')}` };
  }
  return { ok: true, key, gesture: gesture as KeyGesture };
}

const STYLE = `
:root{font-family:system-ui,sans-serif;color-scheme:light dark}
body{margin:1.5rem;max-width:60rem}
.keys{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.6rem;list-style:none;padding:0}
.keys li{display:flex;align-items:center;gap:.5rem}
.lamp{display:flex;flex-direction:column;align-items:center;gap:.15rem;flex:none;max-width:4.5rem}
.caption{font-size:.65rem;line-height:1.1;text-align:center;color:#444}
button{flex:1;min-height:3rem;font-size:1rem;border-radius:.4rem;border:1px solid #888;cursor:pointer}
button:focus-visible{outline:3px solid #2a6df4;outline-offset:2px}
.led{width:1.1rem;height:1.1rem;border-radius:50%;border:1px solid #555;background:#333;flex:none}
.led.on,.led.slow,.led.fast{background:var(--c,#e33)}
.led.slow{animation:blink 1s steps(1) infinite}.led.fast{animation:blink .25s steps(1) infinite}
@keyframes blink{50%{background:#333}}
@media (prefers-reduced-motion:reduce){.led.slow,.led.fast{animation:none;outline:3px dashed var(--c,#e33)}}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
#status{min-height:1.5em;color:#b33}`;

const COLORS: Record<string, string> = {
  red: '#e33',
  green: '#2b2',
  amber: '#f90',
  blue: '#39f',
  white: '#eee',
};

const PATTERN_TEXT: Record<string, string> = {
  off: 'släckt / off',
  on: 'tänd / on',
  slow: 'blinkar / blinking',
  fast: 'blinkar snabbt / fast blinking',
};

function page(nonce: string, title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLE}</style></head><body>${body}${script ? `<script nonce="${nonce}">${script}</script>` : ''}</body></html>`;
}

function deskBody(name: string, desk: VirtualDesk): string {
  const { keys, leds } = desk.panel.description;
  const items: string[] = [];
  for (let i = 0; i < Math.max(keys, leds); i++) {
    const ledLabel = desk.ledLabels?.[i] || `LED ${i}`;
    // A status lamp (messages, queue, link) beside a key that does something else says what it shows.
    const caption =
      desk.ledLabels?.[i] && desk.ledLabels[i] !== desk.keyLabels[i]
        ? `<small class="caption" aria-hidden="true">${escapeHtml(ledLabel)}</small>`
        : '';
    const led =
      i < leds
        ? `<span class="lamp"><span class="led" id="led-${i}" role="img" aria-label="${escapeHtml(ledLabel)}: ${PATTERN_TEXT.off}"></span>${caption}</span>`
        : '';
    const key =
      i < keys
        ? `<button type="button" data-key="${i}">${escapeHtml(desk.keyLabels[i] || `Tangent ${i}`)}</button>`
        : '';
    items.push(`<li>${led}${key}</li>`);
  }
  return `<header><p><a href="/">Alla skrivbord / All desks</a></p><h1>${escapeHtml(desk.label)}</h1>
<p>Tryck för att välja, håll inne (eller Skift+klick) för "tills vidare". /
Press to choose; hold (or Shift+click) for "until further notice".</p></header>
<main data-desk="${escapeHtml(name)}"><ul class="keys">${items.join('')}</ul>
<p id="status" role="status" aria-live="polite"></p></main>`;
}

const DESK_SCRIPT = `
const desk=document.querySelector('main').dataset.desk;
const colors=${JSON.stringify(COLORS)},text=${JSON.stringify(PATTERN_TEXT)};
const status=document.getElementById('status');
function show(frame){frame.forEach((l,i)=>{const el=document.getElementById('led-'+i);if(!el)return;
el.className='led '+l.pattern;el.style.setProperty('--c',colors[l.color]||'#e33');
el.setAttribute('aria-label',el.getAttribute('aria-label').replace(/: .*$/,': '+text[l.pattern]));});}
async function send(key,gesture){status.textContent='';
const r=await fetch(location.pathname+'/keys',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({key,gesture})});
if(!r.ok)status.textContent=await r.text();}
for(const b of document.querySelectorAll('button[data-key]')){const key=Number(b.dataset.key);let timer,held=false;
b.addEventListener('pointerdown',()=>{held=false;timer=setTimeout(()=>{held=true;send(key,'hold');},800);});
for(const ev of ['pointerup','pointerleave','pointercancel'])b.addEventListener(ev,()=>clearTimeout(timer));
b.addEventListener('click',(e)=>{clearTimeout(timer);if(held){held=false;return;}send(key,e.shiftKey?'hold':'tap');});}
const es=new EventSource(location.pathname+'/events');
es.addEventListener('frame',(e)=>show(JSON.parse(e.data)));
es.onerror=()=>{status.textContent='Ingen förbindelse med skrivbordet / Desk not reachable';};
es.onopen=()=>{status.textContent='';};`;

export async function startDeskPages(options: DeskPagesOptions): Promise<DeskPages> {
  const { panels } = options;
  let rejected = 0;
  const streams = new Set<ServerResponse>();

  const fail = (res: ServerResponse, status: number, reason: string) => {
    rejected++;
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(reason);
  };

  const html = (res: ServerResponse, render: (nonce: string) => string) => {
    const nonce = randomBytes(16).toString('base64');
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'`,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      })
      .end(render(nonce));
  };

  const events = (req: IncomingMessage, res: ServerResponse, desk: VirtualDesk) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const send = (frame: LedFrame) => res.write(`event: frame\ndata: ${JSON.stringify(frame)}\n\n`);
    send(desk.panel.frame);
    desk.panel.on('frame', send);
    streams.add(res);
    req.once('close', () => {
      desk.panel.off('frame', send);
      streams.delete(res);
    });
  };

  const press = (req: IncomingMessage, res: ServerResponse, desk: VirtualDesk) => {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      fail(res, 415, 'content-type must be application/json');
      req.resume();
      return;
    }
    let body = '';
    let tooBig = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY && !tooBig) {
        tooBig = true;
        fail(res, 413, `body larger than ${MAX_BODY} bytes`);
      }
    });
    req.on('end', () => {
      if (tooBig) return;
      const parsed = parseKeyRequest(body, desk.panel.description.keys);
      if (!parsed.ok) return fail(res, 400, parsed.reason);
      if (!desk.panel.isOpen) return fail(res, 409, 'the desk agent is not running');
      try {
        desk.panel[parsed.gesture](parsed.key);
      } catch (e) {
        return fail(res, 400, (e as Error).message);
      }
      res.writeHead(204).end();
    });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts.length === 0) {
      if (req.method !== 'GET') return fail(res, 405, 'GET only');
      const list = [...panels]
        .map(([name, d]) => `<li><a href="/desk/${encodeURIComponent(name)}">${escapeHtml(d.label)}</a></li>`)
        .join('');
      return html(res, (nonce) =>
        page(
          nonce,
          'Virtuella skrivbord / Virtual desks',
          `<h1>Virtuella skrivbord / Virtual desks</h1><ul>${list}</ul>`,
        ),
      );
    }
    const desk = parts[0] === 'desk' && parts[1] !== undefined ? panels.get(parts[1]) : undefined;
    if (!desk || parts.length > 3) return fail(res, 404, 'no such desk');
    const name = parts[1] as string;
    const sub = parts[2];
    if (sub === undefined && req.method === 'GET') {
      return html(res, (nonce) => page(nonce, desk.label, deskBody(name, desk), DESK_SCRIPT));
    }
    if (sub === 'events' && req.method === 'GET') return events(req, res, desk);
    if (sub === 'keys' && req.method === 'POST') return press(req, res, desk);
    if (sub === undefined || sub === 'events' || sub === 'keys') return fail(res, 405, 'method not allowed');
    return fail(res, 404, 'not found');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get rejected() {
      return rejected;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
