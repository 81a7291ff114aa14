// Payload schemas of the contract, one per message kind. Every payload carries `v: 1`; unknown
// fields are stripped rather than refused, so a newer minor version stays readable by older peers.
import { z } from 'zod';
import { LANGUAGES, perLanguage } from './languages.js';
import { SEGMENT_PATTERNS } from './segments.js';

export const IsoTime = z.iso
  .datetime({ precision: 3 })
  .describe('UTC instant, ISO 8601 with milliseconds and Z');
/** Return times are whole minutes. */
export const IsoMinute = IsoTime.refine((s) => s.endsWith(':00.000Z'), 'return time must be a whole minute');
export const Ext = z.string().regex(SEGMENT_PATTERNS.ext, 'extension: 1-15 digits');
export const DeviceId = z.string().regex(SEGMENT_PATTERNS.deviceId);
export const QueueId = z.string().regex(SEGMENT_PATTERNS.queueId);
export const DepartmentId = z.string().regex(SEGMENT_PATTERNS.departmentId);
export const ReasonCode = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,23}$/, 'reason code: lower-case letters, digits, -');
export const ClockTime = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'time of day HH:MM');
export const Locale = z.enum(LANGUAGES);
/** A local calendar day in the organisation's zone. */
export const LocalDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, 'date YYYY-MM-DD');
const Text = (max: number) => z.string().max(max);
/** The largest agent package a desk downloads (the built agent is a few MB; node_modules stay on the desk). */
export const MAX_AGENT_PACKAGE_BYTES = 64 * 1024 * 1024;

export const Actor = z.object({
  kind: z.enum(['desk', 'operator', 'calendar', 'switchboard']),
  id: z.string().min(1).max(64),
});

/** Alternative answering point: forward to a colleague, or information only for the operator. */
export const AltAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('forward'), to: Ext, name: Text(80).optional() }),
  z.object({ kind: z.literal('info'), text: Text(120).optional() }),
]);

/**
 * presence/{ext}: the person's referral. Retained, QoS 1. Newest change wins by `seq`, ties by `by.kind`
 * then `by.id`: see comparePresence in presence-order.ts.
 */
export const Presence = z
  .object({
    v: z.literal(1),
    status: z.enum(['available', 'away']),
    reason: ReasonCode.nullable(),
    since: IsoTime,
    until: IsoMinute.nullable().describe('return time; null while away means until further notice'),
    alt: AltAnswer.nullable(),
    note: Text(80).optional(),
    seq: z
      .number()
      .int()
      .nonnegative()
      .max(Number.MAX_SAFE_INTEGER)
      .describe(
        'change counter: one more than the highest seen on the topic; it stays at 2^53 − 1, where the later `at` is newer',
      ),
    by: Actor,
    at: IsoTime,
  })
  .superRefine((p, ctx) => {
    if (p.status === 'available' && (p.reason !== null || p.until !== null)) {
      ctx.addIssue({
        code: 'custom',
        message: 'available presence has no reason or return time',
        path: ['status'],
      });
    }
    if (p.status === 'away' && p.reason === null) {
      ctx.addIssue({ code: 'custom', message: 'away presence needs a reason', path: ['reason'] });
    }
  });

export const PanelInfo = z.object({
  hardwareId: Text(64).min(1),
  model: Text(64).min(1),
  keys: z.number().int().min(0).max(256),
  leds: z.number().int().min(0).max(256),
  firmware: Text(32).optional(),
});

/** device/{id}/state: birth message, retained; the will sets `online: false`. */
export const DeviceState = z.object({
  v: z.literal(1),
  online: z.boolean(),
  at: IsoTime.optional(),
  ext: Ext.optional(),
  agent: Text(32).optional(),
  panel: PanelInfo.optional(),
  configVersion: z.number().int().nonnegative().optional(),
  /** the panel (keys/LEDs) is attached to the agent; false when the agent runs but the panel is unplugged */
  panelConnected: z.boolean().optional(),
  /** what the desk cannot do on this panel (a layout's key or LED the panel lacks), for IT to see */
  warnings: z.array(Text(200)).max(16).optional(),
});

/** What a key does. Shared by device config and the agent's local layout. */
export const KeyAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reason'), reason: ReasonCode }),
  z.object({ type: z.literal('open') }),
  z.object({ type: z.literal('extend'), minutes: z.number().int().min(1).max(240) }),
  z.object({ type: z.literal('shorten'), minutes: z.number().int().min(1).max(240) }),
  z.object({ type: z.literal('alt-forward') }),
  z.object({
    type: z.literal('alt-info'),
    /** issue 23: what the operator is told (SAMSA: "information om alternativ anknytning"); absent: no text */
    text: Text(120).optional(),
  }),
  z.object({ type: z.literal('message-handled') }),
]);

/** What an LED shows. */
export const LedRole = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reason'), reason: ReasonCode }),
  z.object({ type: z.literal('available') }),
  z.object({ type: z.literal('alt') }),
  z.object({ type: z.literal('message') }),
  z.object({ type: z.literal('queue'), queue: QueueId }),
  z.object({ type: z.literal('link') }),
  /** a colleague's phone (line/{ext}): in a call or ringing, so a transfer or forward does not go into a busy line */
  z.object({ type: z.literal('line'), ext: Ext }),
]);

/** Each key and each LED appears at most once: two entries for one key would make its action ambiguous. */
export const KeyLayout = z
  .object({
    keys: z.array(z.object({ key: z.number().int().min(0).max(255), action: KeyAction })).max(256),
    leds: z.array(z.object({ led: z.number().int().min(0).max(255), role: LedRole })).max(256),
  })
  .superRefine((layout, ctx) => {
    const once = (list: 'keys' | 'leds', indices: number[]) => {
      const seen = new Set<number>();
      indices.forEach((n, i) => {
        if (seen.has(n)) ctx.addIssue({ code: 'custom', message: `${n} appears twice`, path: [list, i] });
        seen.add(n);
      });
    };
    once(
      'keys',
      layout.keys.map((k) => k.key),
    );
    once(
      'leds',
      layout.leds.map((l) => l.led),
    );
  })
  .describe('key and LED indices are unique within the layout');

/** device/{id}/config: IT → device, retained. The device acks with the applied version or a reason. */
export const DeviceConfig = z.object({
  v: z.literal(1),
  version: z.number().int().min(1),
  ext: Ext,
  layout: KeyLayout,
  forwardTo: Ext.optional(),
  queues: z.array(QueueId).max(16).default([]),
});

export const DeviceConfigAck = z.object({
  v: z.literal(1),
  version: z.number().int().min(0),
  ok: z.boolean(),
  reason: Text(500).optional(),
  at: IsoTime,
});

export const DeviceCommand = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(64),
  cmd: z.enum(['identify', 'restart', 'inventory']),
  seconds: z.number().int().min(1).max(300).optional(),
});

export const DeviceCommandResult = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(64),
  ok: z.boolean(),
  detail: Text(2000).optional(),
  at: IsoTime,
});

/**
 * device/{deviceId}/update: IT orders the desk to run another agent release. The package's bytes do
 * not travel over MQTT (payloads are capped at 64 KiB): the desk fetches them from `url` and checks
 * `size`, `sha256` and IT's Ed25519 `signature` over packageStatement() before it stages anything.
 */
export const DeviceUpdate = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(64),
  version: z.string().regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]{1,40})?$/, 'version: semver, e.g. 0.2.0'),
  url: z.url({ protocol: /^https?$/, error: 'Invalid URL (http:// or https://)' }).max(2000),
  /** bytes of the .tar.gz; the desk stops reading beyond it */
  size: z.number().int().min(1).max(MAX_AGENT_PACKAGE_BYTES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256: 64 lower-case hex digits'),
  /** Ed25519 over packageStatement(version, size, sha256), base64 */
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'signature: 64 bytes, base64'),
});

export const PhoneMessage = z.object({
  id: z.string().min(1).max(64),
  at: IsoTime,
  from: Text(120).optional(),
  number: Text(32).optional(),
  text: Text(1000),
  takenBy: Text(64).optional(),
  /** call back by then: same day or next working day per the organisation's policy */
  callbackBy: IsoTime.nullable(),
});

/**
 * mwi/{ext}: the open phone messages in one value, as before one topic per message (issue 12). A board
 * that finds one converts it into mwi-message topics and clears it; a board started with --mwi-copy
 * keeps a `copy` of those topics here for desk agents from before 0.1.0, which read only this value
 * (docs/protocol.md, "Versioning"). Inside the board and the desk it is still the shape of one
 * person's messages, aggregated from those topics.
 */
export const Mwi = z.object({
  v: z.literal(1),
  messages: z.array(PhoneMessage).max(200),
  /** a board's copy of the mwi-message topics: never converted, and counted by nobody who reads those */
  copy: z.literal(true).optional(),
});

/**
 * mwi/{ext}/msg/{messageId}: one open phone message, retained; written by operator boards only, each
 * message its own topic so that two boards never read-modify-write one value. Empty payload: handled.
 */
export const MwiMessage = z.object({
  v: z.literal(1),
  message: PhoneMessage,
});

/** mwi/{ext}/handled: the person (desk key or board) marks a message handled. Not retained. */
export const MwiHandled = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(64),
  by: Actor,
  at: IsoTime,
});

/** How far one channel got with a phone message: sent (the server took it), retrying, or given up. */
export const ChannelDelivery = z.object({
  state: z.enum(['sent', 'retrying', 'failed']),
  attempts: z.number().int().min(0).max(1000),
  /** when the last attempt ended */
  at: IsoTime,
  /** the next attempt (retrying only) */
  next: IsoTime.optional(),
});

/**
 * mwi/{ext}/delivery/{messageId}: whether the phone message reached its person by e-mail and SMS,
 * retained, written by the notifier (hanvisa notify) alone; cleared with the message. No personal data:
 * no address, no text, no error text (those stay in the notifier's log and state).
 */
export const MwiDelivery = z.object({
  v: z.literal(1),
  email: ChannelDelivery.optional(),
  sms: ChannelDelivery.optional(),
});

/**
 * voicemail/{ext}: the waiting voicemail count, retained; the switchboard side is its only writer.
 * A topic of its own, apart from mwi, so that no retained value has two writers (docs/protocol.md).
 */
export const Voicemail = z.object({
  v: z.literal(1),
  count: z.number().int().nonnegative(),
  /** the phone system is unreachable: the last count it reported, not necessarily the current one */
  stale: z.boolean().optional(),
  // --- issue 23 ---
  /** when the oldest waiting voicemail came, where the phone system tells: its callback deadline runs from then */
  oldestSince: IsoTime.optional(),
});

/** One waiting call, where the phone system tells: its place in the queue (Guldborgsund: "you are number x"). */
export const QueuedCall = z.object({
  id: z.string().min(1).max(64),
  position: z.number().int().min(1),
  since: IsoTime,
});

/** queue/{queueId}: waiting calls, retained, from the switchboard side (the phone bridge). */
export const Queue = z.object({
  v: z.literal(1),
  name: Text(80).optional(),
  waiting: z.number().int().nonnegative(),
  oldestSince: IsoTime.nullable().describe('when the longest-waiting call entered the queue'),
  at: IsoTime,
  /** the queue lamp's alarm threshold for this queue (Guldborgsund: 4 rings ≈ 20 s); absent: the desk's default */
  alarmSeconds: z.number().int().min(1).max(3600).optional(),
  /** the waiting calls in queue order, where the phone system knows them */
  calls: z.array(QueuedCall).max(500).optional(),
  /** the phone system is unreachable: the last snapshot it reported, not necessarily the current one */
  stale: z.boolean().optional(),
});

/** call/{queueId}: one call event in a queue, not retained; measurements (the recorder) build on them. */
export const CallEvent = z.object({
  v: z.literal(1),
  /** the phone system's event id, unique: consumers drop duplicates by it */
  id: z.string().min(1).max(64),
  call: z.string().min(1).max(64),
  event: z.enum(['entered', 'answered', 'abandoned']),
  at: IsoTime,
  /** when the call entered the queue (answered, abandoned) */
  enteredAt: IsoTime.optional(),
  /** its place in the queue when it entered, where known */
  position: z.number().int().min(1).optional(),
  /** the extension that answered */
  ext: Ext.optional(),
});

/**
 * extcall/{ext}: one step of a call to a person's extension, as the phone bridge saw it (docs/phone.md,
 * "Calls follow the referral"). `call` joins the steps of one call; `id` is unique, so consumers drop
 * the duplicates QoS 1 may deliver.
 */
export const ExtCallEvent = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(64),
  call: z.string().min(1).max(128),
  event: z
    .enum(['routed', 'answered', 'unanswered', 'bounced'])
    .describe(
      'routed: the bridge decided where the call rings; answered: someone picked up; unanswered: it rang out ' +
        'past the ring limit; bounced: an operator transfer came back unanswered or busy',
    ),
  at: IsoTime,
  /** routed: where the call was sent */
  to: z.enum(['desk', 'forward', 'switchboard']).optional(),
  /** routed: why it went there */
  cause: z.enum(['available', 'referred', 'unanswered', 'busy', 'refused-forward', 'fail-open']).optional(),
  /** the extension that rings or answered (the person, the colleague or the switchboard) */
  target: Ext.optional(),
  /** routed: the referral acted on; a private reason travels only as `away` */
  reason: ReasonCode.optional(),
  until: IsoMinute.nullable().optional(),
  /** answered, unanswered: how long it rang, seconds */
  ringSeconds: z.number().nonnegative().max(3600).optional(),
  /** the call is an operator's transfer (it came from the switchboard) */
  transfer: z.boolean().optional(),
});

/** line/{ext}: whether the person's phone is in a call (RFC 4235 dialog state); retained. */
export const LineState = z.object({
  v: z.literal(1),
  state: z.enum(['idle', 'ringing', 'in-call']),
  since: IsoTime,
});

/**
 * board/service-level/{departmentId}: the service level the department's manager set (Grästorp:
 * "sektorchef bestämmer servicenivå"), the figures the manager's view measures against; retained.
 */
export const ServiceLevel = z.object({
  v: z.literal(1),
  /** the share of the department's calls answered within the statistics' threshold, percent */
  answeredWithinPercent: z.number().int().min(1).max(100),
  /** the most minutes a day the department may be left unstaffed in its phone hours; absent: none set */
  maxUnstaffedMinutes: z.number().int().min(0).max(1440).optional(),
  /** the username of who set it */
  setBy: Text(64).min(1),
  at: IsoTime,
});

/** phone/link: whether the bridge reaches the organisation's phone system; retained, the bridge's will sets it down. */
export const PhoneLink = z.object({
  v: z.literal(1),
  up: z.boolean(),
  /** since when the link has been in this state */
  since: IsoTime,
  /** which adapter: sip, webhook, simulator */
  system: Text(32).min(1),
  detail: Text(200).optional(),
});

/**
 * board/revoked/{sessionId}: a board login logged out, refused by every board until `until` (its
 * absolute expiry), when a board clears the topic. Retained; boards are its only writers.
 */
export const SessionRevoked = z.object({
  v: z.literal(1),
  until: IsoTime,
});

/**
 * calendar/{ext}: how reading the person's calendar goes, retained; the calendar bridge is its only
 * writer. While `ok` is false the referral stays as the last good calendar said (docs/calendar.md).
 */
export const CalendarStatus = z.object({
  v: z.literal(1),
  ok: z.boolean(),
  at: IsoTime.describe('when the calendar was last asked'),
  lastGood: IsoTime.nullable().describe('when it was last read successfully; null: never'),
  failures: z.number().int().nonnegative().describe('failed reads in a row'),
  error: Text(300).optional(),
  /**
   * the person's next calendar absence within the working day (today's, or the next one after hours),
   * for the operator ("Sammanträde från 14:00"); absent: none. A private entry shows only its stand-in reason.
   */
  next: z
    .object({
      from: IsoTime,
      to: IsoMinute.describe('when the person is back: the end of the whole absence'),
      reason: ReasonCode,
    })
    .optional(),
});

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

export type IsoTime = z.infer<typeof IsoTime>;
export type Actor = z.infer<typeof Actor>;
export type AltAnswer = z.infer<typeof AltAnswer>;
export type Presence = z.infer<typeof Presence>;
export type PanelInfo = z.infer<typeof PanelInfo>;
export type DeviceState = z.infer<typeof DeviceState>;
export type KeyAction = z.infer<typeof KeyAction>;
export type LedRole = z.infer<typeof LedRole>;
export type KeyLayout = z.infer<typeof KeyLayout>;
export type DeviceConfig = z.infer<typeof DeviceConfig>;
export type DeviceConfigAck = z.infer<typeof DeviceConfigAck>;
export type DeviceCommand = z.infer<typeof DeviceCommand>;
export type DeviceCommandResult = z.infer<typeof DeviceCommandResult>;
export type DeviceUpdate = z.infer<typeof DeviceUpdate>;
export type PhoneMessage = z.infer<typeof PhoneMessage>;
export type Mwi = z.infer<typeof Mwi>;
export type MwiHandled = z.infer<typeof MwiHandled>;
export type MwiMessage = z.infer<typeof MwiMessage>;
export type MwiDelivery = z.infer<typeof MwiDelivery>;
export type ChannelDelivery = z.infer<typeof ChannelDelivery>;
export type Voicemail = z.infer<typeof Voicemail>;
export type Queue = z.infer<typeof Queue>;
export type QueuedCall = z.infer<typeof QueuedCall>;
export type CallEvent = z.infer<typeof CallEvent>;
export type PhoneLink = z.infer<typeof PhoneLink>;
export type ExtCallEvent = z.infer<typeof ExtCallEvent>;
export type LineState = z.infer<typeof LineState>;
export type ServiceLevel = z.infer<typeof ServiceLevel>;
export type SessionRevoked = z.infer<typeof SessionRevoked>;
export type CalendarStatus = z.infer<typeof CalendarStatus>;
export type Person = z.infer<typeof Person>;
export type NumberAudience = z.infer<typeof NumberAudience>;
export type PhoneHours = z.infer<typeof PhoneHours>;
export type Department = z.infer<typeof Department>;
export type ReasonDefinition = z.infer<typeof ReasonDefinition>;
export type OrgInfo = z.infer<typeof OrgInfo>;
export type SwitchboardService = z.infer<typeof SwitchboardService>;
