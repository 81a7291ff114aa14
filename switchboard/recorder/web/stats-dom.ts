// The statistics page's basics its parts share (stats.ts, stats-chart.ts): its elements by test id,
// the language from the URL with its texts, and numbers as that language writes them.
import { DEFAULT_LANGUAGE, INTL_LOCALES, isLanguage } from '../../../protocol/languages.js';
import { statsText } from './stats-text.js';

/** An element of stats.html by its data-testid: the page has each one, of the kind asked for. */
export function $(id: string): HTMLElement;
export function $<E extends HTMLElement>(id: string, kind: new () => E): E;
export function $(id: string, kind: new () => HTMLElement = HTMLElement): HTMLElement {
  const node = document.querySelector(`[data-testid="${id}"]`);
  if (!(node instanceof kind)) throw new Error(`stats page: no ${kind.name} ${id}`);
  return node;
}
export const params = new URLSearchParams(location.search);
const asked = params.get('lang');
export const lang = isLanguage(asked) ? asked : DEFAULT_LANGUAGE;
export const t = (key: string, vars: Record<string, string | number> = {}) => statsText(lang, key, vars);

export function el(
  tag: string,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

/** numbers as the page's language writes them: a decimal comma in Swedish and Danish */
const numbers = new Intl.NumberFormat(INTL_LOCALES[lang], { maximumFractionDigits: 1 });
export const num = (v: string | number | null | undefined) =>
  v === null || v === undefined ? '–' : typeof v === 'number' ? numbers.format(v) : v;
