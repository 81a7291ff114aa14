// What a row says, in the operator's language: pure functions of (row, now, language, time zone),
// so the "overdue 10 min" text is recomputed live in the browser without the server. The local clock
// is the shared rules' (rules/time.ts), the language list the protocol's.

import type { AltAnswer, ReasonDefinition } from '../../../protocol/index.js';
import type { Language } from '../../../protocol/languages.js';
import { formatLocal, localParts } from '../../../rules/time.js';
import { TEXT } from './texts.js';

export { TEXT };

export type Lang = Language;

export type RowState = 'available' | 'away' | 'overdue' | 'unknown';
export interface RowLike {
  status: 'available' | 'away' | null;
  reason: string | null;
  until: string | null;
}

/** The zone the times are shown in: the organisation's, or the browser's before it is known. */
export const zoneOr = (timeZone: string | undefined): string =>
  timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

/** 'available' | 'away' | 'overdue' | 'unknown' (no presence ever received) */
export function stateOf(row: RowLike, now: number): RowState {
  if (row.status === 'available') return 'available';
  if (row.status !== 'away') return 'unknown';
  if (row.until && Date.parse(row.until) <= now) return 'overdue';
  return 'away';
}

/** "13:00" today, "tis 08:00" within a week, "2/12 08:00" later (in the organisation's time zone). */
export function clock(iso: string, now: number, lang: Lang, timeZone?: string): string {
  const zone = zoneOr(timeZone);
  const at = new Date(iso);
  const t = localParts(at, zone);
  const today = localParts(new Date(now), zone);
  const hm = formatLocal(at, zone);
  if (t.year === today.year && t.month === today.month && t.day === today.day) return hm;
  const ms = at.getTime();
  if (ms - now < 6 * 86_400_000 && ms > now) return `${TEXT[lang].days[t.weekday - 1]} ${hm}`;
  return `${t.day}/${t.month} ${hm}`;
}

export function duration(ms: number): string {
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
export function returnText(row: RowLike, now: number, lang: Lang, timeZone?: string): string {
  const t = TEXT[lang];
  const state = stateOf(row, now);
  if (state === 'available' || state === 'unknown') return '';
  if (!row.until) return t.furtherNotice;
  // keeps the time it was meant to end: the caller hears "was due back at 13:00"
  if (state === 'overdue')
    return `${t.overdue} ${duration(now - Date.parse(row.until))}, ${t.dueBack} ${clock(row.until, now, lang, timeZone)}`;
  return `${t.back} ${clock(row.until, now, lang, timeZone)}`;
}

export function reasonLabel(code: string, lang: Lang, catalogue: readonly ReasonDefinition[]): string {
  const found = catalogue.find((r) => r.code === code);
  // 'away' is what a viewer gets for a private reason (the server reduces it): shown as "Borta".
  if (!found && code === 'away') return TEXT[lang].awayReason;
  return found ? found.labels[lang] : code;
}

/** The state column: the reason's label while away, "Available" otherwise. */
export function stateText(row: RowLike, lang: Lang, catalogue: readonly ReasonDefinition[]): string {
  if (row.status === 'available') return TEXT[lang].available;
  if (row.status === 'away') return reasonLabel(row.reason ?? '', lang, catalogue);
  return TEXT[lang].unknown;
}

/**
 * The person's next calendar absence (issue 27): "Sammanträde från 14:00", with the return ("…,
 * tillbaka 15:30") when `withReturn`; '' when none, or once it has begun (the bridge then sends the
 * one after, or the referral shows it).
 */
export function nextAbsenceText(
  next: { from: string; to: string; reason: string } | null,
  now: number,
  lang: Lang,
  catalogue: readonly ReasonDefinition[],
  timeZone?: string,
  withReturn = false,
): string {
  if (!next || Date.parse(next.from) <= now) return '';
  const t = TEXT[lang];
  const text = `${reasonLabel(next.reason, lang, catalogue)} ${t.fromTime} ${clock(next.from, now, lang, timeZone)}`;
  return withReturn ? `${text}, ${t.back} ${clock(next.to, now, lang, timeZone)}` : text;
}

export function altText(alt: AltAnswer | null, lang: Lang): string {
  if (!alt) return '';
  if (alt.kind === 'forward') return `→ ${alt.to}${alt.name ? ` ${alt.name}` : ''}`;
  return alt.text ? `${TEXT[lang].info}: ${alt.text}` : TEXT[lang].info;
}

/** Waiting time of a queue's oldest call, m:ss. */
export function waited(iso: string | null, now: number): string {
  if (!iso) return '';
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The desk's state in words: online, online with its key panel unplugged (device-state), or offline. */
export function deskText(row: { online: boolean | null; panelUnplugged?: true | null }, lang: Lang): string {
  const h = TEXT[lang];
  return row.online ? (row.panelUnplugged ? h.panelUnplugged : h.online) : h.offline;
}
