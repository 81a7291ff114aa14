// The page's fixed elements (index.html) and small builders for new ones.

export const $ = (sel) => document.querySelector(sel);
export const list = $('#list');
export const spacer = list.querySelector('.spacer');
export const input = $('#q');
export const detail = $('[data-testid="detail"]');
export const deptPanel = $('[data-testid="dept-panel"]');

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

/** The organisation's name and the greeting the operator answers its calls with. */
export function orgBlock(info, org) {
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
