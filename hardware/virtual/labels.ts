// Key and LED captions for the virtual panel's terminal and web page, from a layout: Swedish first,
// English after, as the municipalities' own staff and visitors both read them.
import { DEFAULT_REASONS, findReason, type KeyLayout, type ReasonDefinition } from '../../protocol/index.js';

const reasonLabel = (code: string, reasons: readonly ReasonDefinition[]) => {
  const r = findReason(code, reasons);
  return r ? (r.labels.sv === r.labels.en ? r.labels.sv : `${r.labels.sv} / ${r.labels.en}`) : code;
};

/** One caption per key number (index); keys the layout does not use are empty. */
export function keyLabels(
  layout: KeyLayout,
  reasons: readonly ReasonDefinition[] = DEFAULT_REASONS,
): string[] {
  const out: string[] = [];
  for (const { key, action } of layout.keys) {
    while (out.length <= key) out.push('');
    switch (action.type) {
      case 'reason':
        out[key] = reasonLabel(action.reason, reasons);
        break;
      case 'open':
        out[key] = 'Öppen / Back';
        break;
      case 'extend':
        out[key] = `+${action.minutes} min`;
        break;
      case 'shorten':
        out[key] = `−${action.minutes} min`;
        break;
      case 'alt-forward':
        out[key] = 'Vidarekoppla / Forward';
        break;
      case 'alt-info':
        out[key] = 'Info till växeln / Info';
        break;
      case 'message-handled':
        out[key] = 'Meddelande klart / Message done';
        break;
    }
  }
  return out;
}

/** One caption per LED number (index). */
export function ledLabels(
  layout: KeyLayout,
  reasons: readonly ReasonDefinition[] = DEFAULT_REASONS,
): string[] {
  const out: string[] = [];
  for (const { led, role } of layout.leds) {
    while (out.length <= led) out.push('');
    switch (role.type) {
      case 'reason':
        out[led] = reasonLabel(role.reason, reasons);
        break;
      case 'available':
        out[led] = 'Tillgänglig / Available';
        break;
      case 'alt':
        out[led] = 'Alternativt svarsställe / Alt. answer';
        break;
      case 'message':
        out[led] = 'Meddelande / Message';
        break;
      case 'queue':
        out[led] = `Kö / Queue ${role.queue}`;
        break;
      case 'link':
        out[led] = 'Förbindelse / Link';
        break;
    }
  }
  return out;
}
