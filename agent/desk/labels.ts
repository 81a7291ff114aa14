// Key and LED captions from a layout, for the virtual panel's terminal and web page and the key faces
// of panels whose keys are displays: in one language (the web page, as the desk's own keys are
// printed), or Swedish then English (the terminal, read by staff and visitors alike).
import {
  DEFAULT_REASONS,
  findReason,
  type KeyLayout,
  type Language,
  type ReasonDefinition,
} from '../../protocol/index.js';

export type CaptionLang = Language;

const WORDS = {
  open: { sv: 'Öppen', da: 'Åben', en: 'Back' },
  forward: { sv: 'Vidarekoppla', da: 'Viderestil', en: 'Forward' },
  info: { sv: 'Info till växeln', da: 'Info til omstillingen', en: 'Info' },
  done: { sv: 'Meddelande klart', da: 'Besked klaret', en: 'Message done' },
  available: { sv: 'Tillgänglig', da: 'Til stede', en: 'Available' },
  alt: { sv: 'Alternativt svarsställe', da: 'Alternativt svarsted', en: 'Alt. answer' },
  message: { sv: 'Meddelande', da: 'Besked', en: 'Message' },
  queue: { sv: 'Kö', da: 'Kø', en: 'Queue' },
  link: { sv: 'Förbindelse', da: 'Forbindelse', en: 'Link' },
  line: { sv: 'I samtal', da: 'I telefon', en: 'On the phone' },
  hold: { sv: 'håll: tills vidare', da: 'hold: indtil videre', en: 'hold: until further notice' },
} as const satisfies Record<string, Record<Language, string>>;

/** In `lang`, or "sv / en" without one. */
const word = (w: keyof typeof WORDS, lang?: CaptionLang) =>
  lang ? WORDS[w][lang] : `${WORDS[w].sv} / ${WORDS[w].en}`;

const reasonLabel = (code: string, reasons: readonly ReasonDefinition[], lang?: CaptionLang) => {
  const r = findReason(code, reasons);
  if (!r) return code;
  if (lang) return r.labels[lang];
  return r.labels.sv === r.labels.en ? r.labels.sv : `${r.labels.sv} / ${r.labels.en}`;
};

/**
 * Per key, what holding it does, where that differs from a press: a reason that may be "until further
 * notice" (a long press); a reason that needs a return time does on a long press what a press does.
 */
export function holdLabels(
  layout: KeyLayout,
  reasons: readonly ReasonDefinition[] = DEFAULT_REASONS,
  lang: CaptionLang = 'sv',
): string[] {
  const out: string[] = [];
  for (const { key, action } of layout.keys) {
    while (out.length <= key) out.push('');
    if (action.type === 'reason' && findReason(action.reason, reasons)?.returnRequired === false)
      out[key] = WORDS.hold[lang];
  }
  return out;
}

/** One caption per key number (index); keys the layout does not use are empty. */
export function keyLabels(
  layout: KeyLayout,
  reasons: readonly ReasonDefinition[] = DEFAULT_REASONS,
  lang?: CaptionLang,
): string[] {
  const out: string[] = [];
  for (const { key, action } of layout.keys) {
    while (out.length <= key) out.push('');
    switch (action.type) {
      case 'reason':
        out[key] = reasonLabel(action.reason, reasons, lang);
        break;
      case 'open':
        out[key] = word('open', lang);
        break;
      case 'extend':
        out[key] = `+${action.minutes} min`;
        break;
      case 'shorten':
        out[key] = `−${action.minutes} min`;
        break;
      case 'alt-forward':
        out[key] = word('forward', lang);
        break;
      case 'alt-info':
        out[key] = word('info', lang);
        break;
      case 'message-handled':
        out[key] = word('done', lang);
        break;
    }
  }
  return out;
}

/** One caption per LED number (index). */
export function ledLabels(
  layout: KeyLayout,
  reasons: readonly ReasonDefinition[] = DEFAULT_REASONS,
  lang?: CaptionLang,
): string[] {
  const out: string[] = [];
  for (const { led, role } of layout.leds) {
    while (out.length <= led) out.push('');
    switch (role.type) {
      case 'reason':
        out[led] = reasonLabel(role.reason, reasons, lang);
        break;
      case 'available':
        out[led] = word('available', lang);
        break;
      case 'alt':
        out[led] = word('alt', lang);
        break;
      case 'message':
        out[led] = word('message', lang);
        break;
      case 'queue':
        out[led] = `${word('queue', lang)} ${role.queue}`;
        break;
      case 'link':
        out[led] = word('link', lang);
        break;
      case 'line':
        out[led] = `${word('line', lang)} ${role.ext}`;
        break;
    }
  }
  return out;
}

/** What a virtual desk's page captions, in one language: each key, each lamp, and each key's hold. */
export function deskCaptions(
  layout: KeyLayout,
  reasons: readonly ReasonDefinition[],
  lang: CaptionLang,
): { keyLabels: string[]; ledLabels: string[]; holdLabels: string[] } {
  return {
    keyLabels: keyLabels(layout, reasons, lang),
    ledLabels: ledLabels(layout, reasons, lang),
    holdLabels: holdLabels(layout, reasons, lang),
  };
}
