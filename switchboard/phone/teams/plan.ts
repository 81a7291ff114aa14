// What Microsoft 365 should show for a referral (issue 27), as a pure function: the Teams presence
// (an application presence session, 5–240 minutes, renewed while the absence lasts), the Teams status
// message whose expiry is the return time ("Lunch, tillbaka 13:00"), and for a long absence (one that
// ends on a later day, or until further notice: vacation, sick) Exchange's automatic replies with the
// return date. A private reason (sick) is only ever "away": its label never leaves hanvisa.
import type { Language } from '../../../protocol/index.js';
import { INTL_LOCALES } from '../../../protocol/index.js';
import { localDate } from '../../../rules/time.js';
import type { Referral } from '../port.js';

const TEXTS: Record<Language, { away: string; back: string; reply: (back: string | null) => string }> = {
  sv: {
    away: 'Borta',
    back: 'tillbaka',
    reply: (back) => (back ? `Jag är inte på plats. Tillbaka ${back}.` : 'Jag är inte på plats.'),
  },
  da: {
    away: 'Væk',
    back: 'tilbage',
    reply: (back) => (back ? `Jeg er ikke til stede. Tilbage ${back}.` : 'Jeg er ikke til stede.'),
  },
  en: {
    away: 'Away',
    back: 'back',
    reply: (back) => (back ? `I am away. Back ${back}.` : 'I am away.'),
  },
};

/** An application presence session lasts 5 to 240 minutes (Graph's setPresence). */
export const SESSION_MINUTES = { min: 5, max: 240 } as const;

export type TeamsPlan =
  | { away: false }
  | {
      away: true;
      /** setPresence's expirationDuration, minutes */
      sessionMinutes: number;
      /** the status message and when it expires (null: until further notice) */
      status: { text: string; expires: string | null };
      /** Exchange automatic replies, for a long absence */
      autoReply: { start: string; end: string | null; text: string } | null;
    };

export function teamsPlan(r: Referral, now: number): TeamsPlan {
  const p = r.presence;
  if (p.status !== 'away') return { away: false };
  const t = TEXTS[r.locale];
  const label = r.private || !r.label ? t.away : r.label;
  const until = p.until === null ? null : Date.parse(p.until);
  const long =
    until === null || localDate(new Date(p.since), r.timeZone) !== localDate(new Date(until), r.timeZone);
  const locale = INTL_LOCALES[r.locale];
  const back =
    until === null
      ? null
      : new Intl.DateTimeFormat(locale, {
          timeZone: r.timeZone,
          ...(long ? { weekday: 'long', day: 'numeric', month: 'long' } : {}),
          hour: '2-digit',
          minute: '2-digit',
        }).format(until);
  const left = until === null ? SESSION_MINUTES.max : Math.ceil((until - now) / 60_000);
  return {
    away: true,
    sessionMinutes: Math.min(SESSION_MINUTES.max, Math.max(SESSION_MINUTES.min, left)),
    status: { text: back ? `${label}, ${t.back} ${back}` : label, expires: p.until },
    autoReply: long ? { start: p.since, end: p.until, text: t.reply(back) } : null,
  };
}
