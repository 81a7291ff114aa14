// The note a phone system shows for a referral (a SIP PIDF note, a webhook's `note`): the reason's own
// label and the return time in the organisation's language and zone, "Lunch, tillbaka 13:00", so a
// caller always learns when the person is back (Grästorp/Essunga, Högsby, SAMSA). A private reason
// (sick) is only "away".
import { findReason, type OrgInfo, type Presence } from '../../protocol/index.js';
import type { Referral } from './port.js';

const WORDS = {
  sv: { back: 'tillbaka', furtherNotice: 'tills vidare', away: 'Borta', forward: 'samtal till' },
  da: { back: 'tilbage', furtherNotice: 'indtil videre', away: 'Væk', forward: 'opkald til' },
  en: { back: 'back', furtherNotice: 'until further notice', away: 'Away', forward: 'calls to' },
} as const;

/** A person's referral as the phone systems get it: the reason's label in the organisation's language,
 * and whether the reason is private (directory/org; without it Swedish, Stockholm, the default reasons). */
export function referralFor(ext: string, presence: Presence, org: OrgInfo | undefined): Referral {
  const reason = presence.reason ? findReason(presence.reason, org?.reasons) : undefined;
  const locale = org?.locale ?? 'sv';
  const label = reason?.labels[locale];
  return {
    ext,
    presence,
    locale,
    timeZone: org?.timeZone ?? 'Europe/Stockholm',
    ...(label ? { label } : {}),
    ...(reason?.privacy === 'private' ? { private: true } : {}),
  };
}

/** The reason as the phone system may show it: its label, or only "away" (sv "Borta") when private. */
export function shownLabel(referral: Referral): string | undefined {
  return referral.private ? WORDS[referral.locale].away : referral.label;
}

export function referralNote(referral: Referral): string | undefined {
  const { presence: p, locale, timeZone } = referral;
  if (p.status !== 'away') return undefined;
  const w = WORDS[locale];
  const label = shownLabel(referral) ?? p.reason ?? w.away;
  let when: string = w.furtherNotice;
  if (p.until) {
    const until = new Date(p.until);
    const day = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone });
    const time = until.toLocaleTimeString('sv-SE', { timeZone, hour: '2-digit', minute: '2-digit' });
    // another day than the referral was set: say which ("tillbaka 24/11 08:00")
    const date =
      day(until) === day(new Date(p.at))
        ? ''
        : `${until.toLocaleDateString(locale === 'en' ? 'en-GB' : `${locale}-${locale === 'sv' ? 'SE' : 'DK'}`, { timeZone, day: 'numeric', month: 'numeric' })} `;
    when = `${w.back} ${date}${time}`;
  }
  const alt =
    p.alt?.kind === 'forward' ? `; ${w.forward} ${p.alt.name ? `${p.alt.name} ` : ''}${p.alt.to}` : '';
  return `${label}, ${when}${alt}`;
}
