// The page's fixed elements (index.html) and small builders for new ones.

export const $ = (sel) => document.querySelector(sel);
export const list = $('#list');
export const spacer = list.querySelector('.spacer');
export const input = $('#q');
export const detail = $('[data-testid="detail"]');

export function badge(kind, text, title) {
  const s = document.createElement('span');
  s.className = `badge ${kind}`;
  s.textContent = text;
  s.title = title;
  return s;
}

export function link(href, text, title) {
  const a = document.createElement('a');
  if (/^https?:\/\//.test(href)) a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.textContent = text;
  a.title = title;
  a.dataset.testid = 'desk-link';
  return a;
}

export function field(label, control) {
  const l = document.createElement('label');
  const span = document.createElement('span');
  span.textContent = label;
  l.append(span, control);
  return l;
}

export function button(text, testid, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.dataset.testid = testid;
  b.addEventListener('click', onClick);
  return b;
}
