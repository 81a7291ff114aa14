// The page's fixed elements (index.html) and small builders for new ones.
import type { OrgInfo } from '../../../protocol/index.js';

/** One of the page's fixed elements (index.html has each one), of the kind asked for. */
export function $(sel: string): HTMLElement;
export function $<E extends HTMLElement>(sel: string, kind: new () => E): E;
export function $(sel: string, kind: new () => HTMLElement = HTMLElement): HTMLElement {
  const el = document.querySelector(sel);
  if (!(el instanceof kind)) throw new Error(`board page: no ${kind.name} ${sel}`);
  return el;
}
export const list = $('#list');
export const spacer = $('#list .spacer');
export const input = $('#q', HTMLInputElement);
export const detail = $('[data-testid="detail"]');
export const deptPanel = $('[data-testid="dept-panel"]');

export function badge(kind: string, text: string, title: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = `badge ${kind}`;
  s.textContent = text;
  s.title = title;
  return s;
}

export function link(href: string, text: string, title: string): HTMLAnchorElement {
  const a = document.createElement('a');
  if (/^https?:\/\//.test(href)) a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.textContent = text;
  a.title = title;
  a.dataset.testid = 'desk-link';
  return a;
}

export function field(label: string, control: HTMLElement): HTMLLabelElement {
  const l = document.createElement('label');
  const span = document.createElement('span');
  span.textContent = label;
  l.append(span, control);
  return l;
}

export function button(text: string, testid: string, onClick: () => unknown): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.dataset.testid = testid;
  b.addEventListener('click', onClick);
  return b;
}

/** The organisation's name and the greeting the operator answers its calls with. */
export function orgBlock(info: OrgInfo | undefined, org: string): HTMLDivElement {
  const box = document.createElement('div');
  box.className = 'org';
  box.dataset.testid = 'panel-org';
  box.dataset.org = org;
  const name = document.createElement('b');
  name.textContent = info?.name ?? org;
  box.append(name);
  if (info?.greeting) {
    const greeting = document.createElement('q');
    greeting.dataset.testid = 'panel-greeting';
    greeting.textContent = info.greeting;
    box.append(greeting);
  }
  return box;
}
