// The default reason catalogue, from the policies in shared/seeds: Grästorp/Essunga (sick, lunch,
// temporarily out), SAMSA (SAM: meeting, TJÄ: business trip). An organisation may publish its own in
// directory/org; these are what a new installation starts with.
import type { ReasonDefinition } from './schemas.js';

export const DEFAULT_REASONS: readonly ReasonDefinition[] = [
  {
    code: 'lunch',
    labels: { sv: 'Lunch', da: 'Frokost', en: 'Lunch' },
    rule: { type: 'minutes', minutes: 45 },
    returnRequired: true,
    privacy: 'public',
  },
  {
    code: 'meeting',
    labels: { sv: 'Sammanträde', da: 'Møde', en: 'Meeting' },
    // to the next full quarter past one hour: pressed 09:05 → back 10:15
    rule: { type: 'next-quarter', minutes: 60 },
    returnRequired: true,
    privacy: 'public',
  },
  {
    code: 'trip',
    labels: { sv: 'Tjänsteresa', da: 'Tjenesterejse', en: 'Business trip' },
    rule: { type: 'end-of-day' },
    returnRequired: true,
    privacy: 'public',
  },
  {
    code: 'out',
    labels: { sv: 'Tillfälligt ute', da: 'Midlertidigt ude', en: 'Temporarily out' },
    rule: { type: 'minutes', minutes: 15 },
    returnRequired: true,
    privacy: 'public',
  },
  {
    code: 'course',
    labels: { sv: 'Kurs', da: 'Kursus', en: 'Course' },
    rule: { type: 'end-of-day' },
    returnRequired: true,
    privacy: 'public',
  },
  {
    code: 'sick',
    labels: { sv: 'Sjuk', da: 'Syg', en: 'Sick' },
    // sick for today: back at the start of the next working day (a long press: until further notice)
    rule: { type: 'next-workday' },
    returnRequired: false,
    privacy: 'private',
  },
  {
    code: 'vacation',
    labels: { sv: 'Semester/ledig', da: 'Ferie/fri', en: 'Vacation/leave' },
    // leave lasts days or weeks: a key cannot enter a date, and a one-day default would turn overdue the
    // first morning; the operator or a calendar sets the return date in the presence instead
    rule: { type: 'until-further-notice' },
    returnRequired: false,
    privacy: 'private',
  },
  {
    code: 'gone',
    labels: { sv: 'Gått för dagen', da: 'Gået for i dag', en: 'Gone for the day' },
    // "back tomorrow 08:00", not "overdue" all night from 17:00
    rule: { type: 'next-workday' },
    returnRequired: false,
    privacy: 'public',
  },
];

export function findReason(
  code: string,
  catalogue: readonly ReasonDefinition[] = DEFAULT_REASONS,
): ReasonDefinition | undefined {
  return catalogue.find((r) => r.code === code);
}
