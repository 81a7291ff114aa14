// Payload schemas of the directory and the organisation's settings: people, departments, reasons,
// on-call numbers and the switchboard's hours and service state; re-exported by schemas.ts.
import { z } from 'zod';
import { perLanguage } from './languages.js';
import {
  ClockTime,
  DepartmentId,
  IsoTime,
  LocalDate,
  Locale,
  QueueId,
  ReasonCode,
  Text,
} from './schema-primitives.js';

export const PhoneHours = z.object({
  days: z.array(z.number().int().min(1).max(7)).min(1).describe('ISO weekdays, 1 = Monday'),
  from: ClockTime,
  to: ClockTime,
});

/** Who may be given a number: everyone, partners (other authorities, contractors), or staff only. */
export const NumberAudience = z.enum(['public', 'partners', 'internal']);

export const Person = z.object({
  v: z.literal(1),
  name: Text(120).min(1),
  department: DepartmentId,
  title: Text(120).optional(),
  direct: Text(32).optional(),
  mobile: Text(32).optional(),
  email: Text(120).optional(),
  // issue 23: the person's own phone hours inside the department's (SAMSA §7: staggered phone hours);
  // absent: the department's. The "whole department away" alarm counts them (rules/phone-hours.ts).
  phoneHours: z.array(PhoneHours).max(14).optional(),
  // --- issue 23: numbers with rules, and who handles what ---
  /** the extension is on mobile extension (SAMSA §4.2/§8, "OE"): the extension is the mobile number, and the operator says so */
  mobileExtension: z.boolean().optional(),
  /** who may be given each number (Guldborgsund: some direct numbers are public, others for partners only); absent: internal */
  visibility: z
    .object({
      direct: NumberAudience.optional(),
      mobile: NumberAudience.optional(),
      email: NumberAudience.optional(),
    })
    .optional(),
  /** what the person handles, searchable on the board (Guldborgsund's "vidensdatabase"; Högsby: misdirected calls to the right officer) */
  keywords: z.array(Text(60).min(1)).max(30).optional(),
});

export const Department = z.object({
  v: z.literal(1),
  name: Text(120).min(1),
  queue: QueueId.optional(),
  phoneHours: z.array(PhoneHours).max(14).default([]),
  /** a function that must always answer (Högsby: "someone must always answer") */
  mustAnswer: z.boolean().default(false),
  // --- issue 23 ---
  /** what the operator should know of the department now (Falkenberg: departments tell the contact centre of changes in time) */
  notice: Text(300).optional(),
});

export const ReasonDefinition = z.object({
  code: ReasonCode,
  labels: z.object(perLanguage(() => Text(40).min(1))),
  /** the default return time rule */
  rule: z.discriminatedUnion('type', [
    z.object({ type: z.literal('minutes'), minutes: z.number().int().min(1).max(1440) }),
    z.object({ type: z.literal('next-quarter'), minutes: z.number().int().min(0).max(1440) }),
    z.object({ type: z.literal('end-of-day') }),
    /** the start of the next working day (sick, gone for the day): "back tomorrow 08:00", not overdue all night */
    z.object({ type: z.literal('next-workday') }),
    z.object({ type: z.literal('until-further-notice') }),
  ]),
  returnRequired: z.boolean(),
  /** operators see the reason; viewers see only "away" when private */
  privacy: z.enum(['public', 'private']),
});

/** issue 23: when an on-call number is in force; every field narrows, all absent means always. */
export const OnCallValidity = z.object({
  /** first local day it is in force (a season: the winter snow watch from 1 November) */
  from: LocalDate.optional(),
  /** last local day it is in force, inclusive */
  to: LocalDate.optional(),
  /** ISO weekdays it is in force on (absent: every day) */
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
  /**
   * 'working-hours': on working days (workdays, not a holiday) within the workday; 'after-hours':
   * every other time, evenings, weekends and holidays (the social on-call); absent: both
   */
  hours: z.enum(['working-hours', 'after-hours']).optional(),
});

/** issue 23: when the switchboard answers: its phone hours and a daily lunch closure. */
export const SwitchboardHours = z.object({
  /** the switchboard's own opening hours; absent: no open/closed state is published */
  switchboardHours: z.array(PhoneHours).max(14).optional(),
  /** closed for lunch inside its hours (SAMSA: "under lunchstängning ... nattsvarsmeddelande") */
  lunchClosure: z.object({ from: ClockTime, to: ClockTime }).optional(),
});

/**
 * issue 23: switchboard-service, retained: whether the switchboard answers now (its hours and lunch
 * closure in directory/org), so the PBX switches to night service; written at each change.
 */
export const SwitchboardService = z.object({
  v: z.literal(1),
  state: z.enum(['open', 'closed', 'lunch']),
  since: IsoTime.describe('when this state began'),
  until: IsoTime.optional().describe(
    'when it next changes, where the settings say (absent: not within a week)',
  ),
});

export const OrgInfo = z.object({
  v: z.literal(1),
  name: Text(120).min(1),
  greeting: Text(300).optional(),
  timeZone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown IANA time zone'),
  locale: Locale,
  workday: z.object({ from: ClockTime, to: ClockTime }).default({ from: '08:00', to: '17:00' }),
  onReturn: z.enum(['overdue', 'reopen']).default('overdue'),
  callback: z.enum(['same-day', 'next-working-day']).default('next-working-day'),
  reasons: z.array(ReasonDefinition).max(64).optional(),
  /** ISO weekdays that are working days (default Monday-Friday; all seven for round-the-clock services) */
  workdays: z
    .array(z.number().int().min(1).max(7))
    .min(1)
    .max(7)
    .refine((d) => new Set(d).size === d.length, 'each weekday at most once')
    .optional(),
  /** the public holidays and local extra days off, resolved to dates by whoever publishes the settings */
  holidays: z.array(LocalDate).max(400).optional(),
  /** + / - and the same reason key again extend or shorten by this much */
  stepMinutes: z.number().int().min(1).max(240).optional(),
  /** a key held this long is a long press (until further notice) */
  longPressMs: z.number().int().min(200).max(5000).optional(),
  /**
   * the nudge: this many minutes before a same-day return time the desk's reason lamp blinks and staff
   * without a panel are told (Grästorp/Essunga: extend at once if the time cannot be kept); 0: none
   */
  nudgeMinutes: z.number().int().min(0).max(60).optional(),
  /** a queue lamp turns urgent when the oldest call has waited this long (Guldborgsund: 4 rings, about 20 s) */
  queueAlarmSeconds: z.number().int().min(1).max(3600).optional(),
  /** what the switchboard says outside phone hours */
  afterHours: Text(300).optional(),
  /** numbers the board shows for a department nobody staffs (SAMSA: an on-call phone must always answer) */
  onCall: z
    .array(
      z.object({
        department: DepartmentId.optional(),
        label: Text(80).min(1),
        number: Text(32).min(1),
        // issue 23: when the number is in force (Guldborgsund: "nogle skal altid være tilgængelige,
        // andre kun periodisk"); all absent: always (rules/on-call.ts)
        ...OnCallValidity.shape,
      }),
    )
    .max(64)
    .optional(),
  // issue 22, the statistics' "answered within N rings" (Guldborgsund: "inden 4 ring")
  /** answered within this many rings of this length counts as in time (default 4 rings of 5 s) */
  answerWithin: z
    .object({ rings: z.number().int().min(1).max(20), ringSeconds: z.number().int().min(1).max(30) })
    .optional(),
  // issue 23: the switchboard's own opening hours and lunch closure, for the switchboard-service state
  ...SwitchboardHours.shape,
  // --- issue 23: referral guard rails ---
  /**
   * the switchboard's own numbers (internal short number and public number); with refuseForward a
   * referral may not forward to them (Grästorp/Essunga: "Det är inte ett alternativ att hänvisa sin
   * telefon till kommunens växel")
   */
  switchboard: z
    .object({ numbers: z.array(Text(32).min(1)).min(1).max(16), refuseForward: z.boolean().default(true) })
    .optional(),
});

export type Person = z.infer<typeof Person>;
export type NumberAudience = z.infer<typeof NumberAudience>;
export type PhoneHours = z.infer<typeof PhoneHours>;
export type Department = z.infer<typeof Department>;
export type ReasonDefinition = z.infer<typeof ReasonDefinition>;
export type OrgInfo = z.infer<typeof OrgInfo>;
export type SwitchboardService = z.infer<typeof SwitchboardService>;
