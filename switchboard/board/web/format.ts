// What a row says, in the operator's language: pure functions of (row, now, language, time zone),
// so the "overdue 10 min" text is recomputed live in the browser without the server.

import { TEXT } from './texts.js';

export { TEXT };

export const LANGS = ['sv', 'da', 'en'];

/** 'available' | 'away' | 'overdue' | 'unknown' (no presence ever received) */
export function stateOf(row, now) {
  if (row.status === 'available') return 'available';
  if (row.status !== 'away') return 'unknown';
  if (row.until && Date.parse(row.until) <= now) return 'overdue';
  return 'away';
}

const clockFormats = new Map();
/** Date and time parts of an instant in a time zone (en-GB names: weekday 'Mon'…), formatter cached per zone. */
export function localParts(ms, timeZone) {
  const key = timeZone ?? '';
  let f = clockFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    clockFormats.set(key, f);
  }
  const out = {};
  for (const p of f.formatToParts(ms)) out[p.type] = p.value;
  return out;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "13:00" today, "tis 08:00" within a week, "2/12 08:00" later (in the organisation's time zone). */
export function clock(iso, now, lang, timeZone) {
  const ms = Date.parse(iso);
  const t = localParts(ms, timeZone);
  const hm = `${t.hour}:${t.minute}`;
  const today = localParts(now, timeZone);
  if (t.year === today.year && t.month === today.month && t.day === today.day) return hm;
  if (ms - now < 6 * 86_400_000 && ms > now) return `${TEXT[lang].days[WEEKDAYS.indexOf(t.weekday)]} ${hm}`;
  return `${Number(t.day)}/${Number(t.month)} ${hm}`;
}

export function duration(ms) {
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) {
    const m = minutes % 60;
    return m ? `${Math.floor(minutes / 60)} h ${m} min` : `${Math.floor(minutes / 60)} h`;
  }
  return `${Math.floor(minutes / (24 * 60))} d`;
}

/**
 * The return column: "tillbaka 13:00", "försenad 10 min, skulle åter 13:00", "tills vidare", or ''
 * when available/unknown.
 */
export function returnText(row, now, lang, timeZone) {
  const t = TEXT[lang];
  const state = stateOf(row, now);
  if (state === 'available' || state === 'unknown') return '';
  if (!row.until) return t.furtherNotice;
  // keeps the time it was meant to end: the caller hears "was due back at 13:00"
  if (state === 'overdue')
    return `${t.overdue} ${duration(now - Date.parse(row.until))}, ${t.dueBack} ${clock(row.until, now, lang, timeZone)}`;
  return `${t.back} ${clock(row.until, now, lang, timeZone)}`;
}

export function reasonLabel(code, lang, catalogue) {
  const found = catalogue.find((r) => r.code === code);
  // 'away' is what a viewer gets for a private reason (the server reduces it): shown as "Borta".
  if (!found && code === 'away') return TEXT[lang].awayReason;
  return found ? found.labels[lang] : code;
}

/** The state column: the reason's label while away, "Available" otherwise. */
export function stateText(row, lang, catalogue) {
  if (row.status === 'available') return TEXT[lang].available;
  if (row.status === 'away') return reasonLabel(row.reason, lang, catalogue);
  return TEXT[lang].unknown;
}

export function altText(alt, lang) {
  if (!alt) return '';
  if (alt.kind === 'forward') return `→ ${alt.to}${alt.name ? ` ${alt.name}` : ''}`;
  return alt.text ? `${TEXT[lang].info}: ${alt.text}` : TEXT[lang].info;
}

/** Waiting time of a queue's oldest call, m:ss. */
export function waited(iso, now) {
  if (!iso) return '';
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
