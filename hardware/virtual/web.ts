// Web pages for virtual desks: `/` lists them, `/desk/{name}` shows one desk's keys (real buttons) and
// LEDs (blinking in CSS), live over SSE; POST /desk/{name}/keys presses a key. node:http, no framework,
// each page self-contained (inline CSS and script under a per-response CSP nonce).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { DEFAULT_LANGUAGE, type Language } from '../../protocol/languages.js';
import type { LedFrame } from '../port.js';
import type { VirtualPanel } from './panel.js';

/** A desk's captions, by key and LED number (LED n sits in key n). */
export interface DeskCaptions {
  keyLabels: readonly string[];
  ledLabels?: readonly string[];
  /** per key, what holding it does when that differs from a press (labels.ts holdLabels) */
  holdLabels?: readonly string[];
}

export interface VirtualDesk {
  panel: VirtualPanel;
  label: string;
  /** The captions in force now (IT may push another layout at any time): read for every page, and
   * again whenever `watch` reports a change, so an open page follows without a reload. */
  captions(): DeskCaptions;
  /** calls back after anything that may change the captions; returns the unsubscribe */
  watch?(listener: () => void): () => void;
  /** how long a pointer holds a key for a long press: the organisation's setting (800 ms if not given) */
  longPressMs?: number;
}

export interface DeskPagesOptions {
  panels: ReadonlyMap<string, VirtualDesk>;
  /** 0 picks a free port */
  port?: number;
  /** the pages' language (the captions come with the desks); Swedish by default */
  lang?: Language;
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

// The page looks like the panel it stands for: a dark housing, keys as key caps, each key's lamp set
// into its cap (a status lamp of its own with its caption above it), readable in light and dark.
const STYLE = `
:root{font-family:system-ui,sans-serif;color-scheme:light dark;--ink:#1c2733;--muted:#5b6b7b;--bg:#f4f6f8}
@media (prefers-color-scheme:dark){:root{--ink:#e8eef4;--muted:#a9b8c6;--bg:#151b22}}
body{margin:1.5rem;max-width:64rem;color:var(--ink);background:var(--bg)}
a{color:inherit}
[hidden]{display:none!important}
h1{font-size:1.3rem;margin:.3rem 0}
.hint{color:var(--muted);margin:.2rem 0 1rem}
.panel{background:linear-gradient(#2a3440,#1d252e);border-radius:1rem;padding:1.1rem;box-shadow:0 6px 18px rgba(0,0,0,.35)}
.keys{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.7rem;list-style:none;padding:0;margin:0}
.keys li{position:relative;display:flex;flex-direction:column;min-height:4.6rem}
button{flex:1;display:flex;flex-direction:column;justify-content:flex-end;align-items:flex-start;gap:.15rem;
padding:.55rem .6rem .5rem 2.1rem;font:inherit;font-size:.95rem;font-weight:600;text-align:left;color:#1c2733;
background:linear-gradient(#fdfdfd,#dfe4ea);border:1px solid #0b0f14;border-radius:.5rem;
box-shadow:0 3px 0 #0b0f14,inset 0 1px 0 #fff;cursor:pointer;overflow-wrap:anywhere}
button:active{transform:translateY(2px);box-shadow:0 1px 0 #0b0f14}
button:focus-visible{outline:3px solid #6aa5ff;outline-offset:3px}
button small{font-size:.7rem;font-weight:400;color:#4a5a6a}
.led{position:absolute;left:.6rem;top:.6rem;width:1rem;height:1rem;border-radius:50%;border:1px solid #0b0f14;
background:#3a444f;box-shadow:inset 0 1px 2px rgba(0,0,0,.6);pointer-events:none}
.lamp-only{justify-content:flex-start;padding:.5rem .6rem .5rem 2.1rem;color:#d5dee7;font-size:.8rem;
border:1px dashed #4b5a69;border-radius:.5rem}
.led.on,.led.slow,.led.fast{background:var(--c,#e33);box-shadow:0 0 8px var(--c,#e33)}
.led.slow{animation:blink 1s steps(1) infinite}.led.fast{animation:blink .25s steps(1) infinite}
@keyframes blink{50%{background:#3a444f;box-shadow:none}}
@media (prefers-reduced-motion:reduce){.led.slow,.led.fast{animation:none;outline:3px dashed var(--c,#e33)}}
.caption{display:block;margin-top:.9rem;line-height:1.15}
#status{min-height:1.5em;color:#e55}`;

const COLORS: Record<string, string> = {
  red: '#e33',
  green: '#2b2',
  amber: '#f90',
  blue: '#39f',
  white: '#eee',
};

const PAGE_TEXT: Record<Language, Record<string, string>> = {
  sv: {
    all: 'Alla skrivbord',
    desks: 'Virtuella skrivbord',
    hint: 'Tryck på en tangent för att välja. En tangent märkt "håll: tills vidare" sätter tills vidare när du håller den inne (eller Skift+klick).',
    key: 'Tangent',
    down: 'Ingen förbindelse med skrivbordet',
    off: 'släckt',
    on: 'tänd',
    slow: 'blinkar',
    fast: 'blinkar snabbt',
  },
  da: {
    all: 'Alle skriveborde',
    desks: 'Virtuelle skriveborde',
    hint: 'Tryk på en tast for at vælge. En tast mærket "hold: indtil videre" sætter indtil videre, når du holder den nede (eller Skift+klik).',
    key: 'Tast',
    down: 'Ingen forbindelse til skrivebordet',
    off: 'slukket',
    on: 'tændt',
    slow: 'blinker',
    fast: 'blinker hurtigt',
  },
  en: {
    all: 'All desks',
    desks: 'Virtual desks',
    hint: 'Press a key to choose. A key marked "hold: until further notice" sets until further notice when held (or Shift+click).',
    key: 'Key',
    down: 'Desk not reachable',
    off: 'off',
    on: 'on',
    slow: 'blinking',
    fast: 'fast blinking',
  },
};

function page(nonce: string, title: string, body: string, lang: Language, script = ''): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLE}</style></head><body>${body}${script ? `<script nonce="${nonce}">${script}</script>` : ''}</body></html>`;
}

/** What one key cap (or lamp without a key) says: its name, its lamp's caption, its hold, its lamp. */
interface Slot {
  name: string;
  /** a status lamp (messages, queue, link) beside a key that does something else says what it shows */
  caption: string;
  hold: string;
  led: string;
}

function slots(desk: VirtualDesk, lang: Language): Slot[] {
  const { keyLabels, ledLabels = [], holdLabels = [] } = desk.captions();
  const { keys, leds } = desk.panel.description;
  return Array.from({ length: Math.max(keys, leds) }, (_, i) => ({
    name: i < keys ? keyLabels[i] || `${PAGE_TEXT[lang].key} ${i}` : '',
    caption: ledLabels[i] && ledLabels[i] !== keyLabels[i] ? (ledLabels[i] as string) : '',
    hold: holdLabels[i] ?? '',
    led: ledLabels[i] || `LED ${i}`,
  }));
}

/** A text element the page script fills: present even when empty, so a new layout can fill it. */
const part = (cls: string, value: string, hidden = '') =>
  `<small class="${cls}"${hidden}${value ? '' : ' hidden'}>${escapeHtml(value)}</small>`;

function deskBody(name: string, desk: VirtualDesk, lang: Language): string {
  const text = PAGE_TEXT[lang];
  const { keys, leds } = desk.panel.description;
  const items = slots(desk, lang).map((slot, i) => {
    const led =
      i < leds
        ? `<span class="led" id="led-${i}" role="img" data-label="${escapeHtml(slot.led)}" aria-label="${escapeHtml(slot.led)}: ${text.off}"></span>`
        : '';
    if (i >= keys) return `<li class="lamp-only" id="slot-${i}">${led}${part('caption', slot.caption)}</li>`;
    return `<li id="slot-${i}">${led}<button type="button" data-key="${i}">${part('caption', slot.caption, ' aria-hidden="true"')}<span class="name">${escapeHtml(slot.name)}</span>${part('hold', slot.hold)}</button></li>`;
  });
  return `<header><p><a href="/">${text.all}</a></p><h1>${escapeHtml(desk.label)}</h1>
<p class="hint">${text.hint}</p></header>
<main data-desk="${escapeHtml(name)}" data-long-press="${desk.longPressMs ?? 800}"><div class="panel"><ul class="keys">${items.join('')}</ul></div>
<p id="status" role="status" aria-live="polite"></p></main>`;
}

const deskScript = (lang: Language) => `
const longPress=Number(document.querySelector('main').dataset.longPress);
const colors=${JSON.stringify(COLORS)},text=${JSON.stringify(PAGE_TEXT[lang])};
const status=document.getElementById('status');
function say(el){el.setAttribute('aria-label',el.dataset.label+': '+text[el.dataset.pattern||'off']);}
function show(frame){frame.forEach((l,i)=>{const el=document.getElementById('led-'+i);if(!el)return;
el.className='led '+l.pattern;el.style.setProperty('--c',colors[l.color]||'#e33');el.dataset.pattern=l.pattern;say(el);});}
function caption(slots){slots.forEach((s,i)=>{const li=document.getElementById('slot-'+i);if(!li)return;
for(const p of ['name','caption','hold']){const el=li.querySelector('.'+p);if(el){el.textContent=s[p];if(p!=='name')el.hidden=!s[p];}}
const led=document.getElementById('led-'+i);if(led){led.dataset.label=s.led;say(led);}});}
async function send(key,gesture){status.textContent='';
const r=await fetch(location.pathname+'/keys',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({key,gesture})});
if(!r.ok)status.textContent=await r.text();}
for(const b of document.querySelectorAll('button[data-key]')){const key=Number(b.dataset.key);let timer,held=false;
b.addEventListener('pointerdown',()=>{held=false;timer=setTimeout(()=>{held=true;send(key,'hold');},longPress);});
for(const ev of ['pointerup','pointerleave','pointercancel'])b.addEventListener(ev,()=>clearTimeout(timer));
b.addEventListener('click',(e)=>{clearTimeout(timer);if(held){held=false;return;}send(key,e.shiftKey?'hold':'tap');});}
const es=new EventSource(location.pathname+'/events');
es.addEventListener('frame',(e)=>show(JSON.parse(e.data)));
es.addEventListener('captions',(e)=>caption(JSON.parse(e.data)));
es.onerror=()=>{status.textContent=text.down;};
es.onopen=()=>{status.textContent='';};`;

export async function startDeskPages(options: DeskPagesOptions): Promise<DeskPages> {
  const { panels } = options;
  const lang = options.lang ?? DEFAULT_LANGUAGE;
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
    // The captions go out on connect (the layout may have changed since the page was served) and
    // after each change that alters them.
    let captioned = '';
    const caption = () => {
      const next = JSON.stringify(slots(desk, lang));
      if (next === captioned) return;
      captioned = next;
      res.write(`event: captions\ndata: ${next}\n\n`);
    };
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const send = (frame: LedFrame) => res.write(`event: frame\ndata: ${JSON.stringify(frame)}\n\n`);
    send(desk.panel.frame);
    caption();
    desk.panel.on('frame', send);
    const unwatch = desk.watch?.(caption);
    streams.add(res);
    req.once('close', () => {
      desk.panel.off('frame', send);
      unwatch?.();
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
      const title = PAGE_TEXT[lang].desks as string;
      return html(res, (nonce) => page(nonce, title, `<main><h1>${title}</h1><ul>${list}</ul></main>`, lang));
    }
    const desk = parts[0] === 'desk' && parts[1] !== undefined ? panels.get(parts[1]) : undefined;
    if (!desk || parts.length > 3) return fail(res, 404, 'no such desk');
    const name = parts[1] as string;
    const sub = parts[2];
    if (sub === undefined && req.method === 'GET') {
      return html(res, (nonce) =>
        page(nonce, desk.label, deskBody(name, desk, lang), lang, deskScript(lang)),
      );
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
