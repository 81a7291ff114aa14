// One extension's entry in the board model and how it becomes a row: the bookkeeping (what an entry
// holds, when it is empty, how its parts compare) kept apart from the model's per-kind message handling.
import type { Person, PhoneMessage, Presence } from '../../protocol/index.js';
import { PERSON_COLUMNS, PRESENCE_COLUMNS } from './columns.js';
import { type DeviceOnRow, deviceFields } from './device-row.js';
import type { LineOnRow, Row } from './row.js';

export interface Entry {
  org: string;
  ext: string;
  person: Person | null;
  presence: Presence | null;
  voicemail: number;
  /** issue 23: since when the oldest waiting voicemail has waited (rules/messages.ts voicemailSince) */
  voicemailSince: string | null;
  messages: number;
  phoneMessages: PhoneMessage[] | null;
  /** deviceId → online and warnings; null until a device names this extension (most people have none) */
  devices: Map<string, DeviceOnRow> | null;
  calendar: Row['calendar'];
  line: LineOnRow | null;
  nextAbsence: Row['nextAbsence'];
  /** ids of open messages not yet delivered to the person (mwi-delivery); null while none */
  undelivered: Set<string> | null;
  /** the row as last built; null when the entry changed since and nobody has asked for it yet */
  row: Row | null;
}

export const key = (org: string, id: string) => `${org}/${id}`;

export const newEntry = (org: string, ext: string): Entry => ({
  org,
  ext,
  person: null,
  presence: null,
  voicemail: 0,
  voicemailSince: null,
  messages: 0,
  phoneMessages: null,
  devices: null,
  calendar: null,
  line: null,
  nextAbsence: null,
  undelivered: null,
  row: null,
});

export const isEmpty = (e: Entry) =>
  !e.person &&
  !e.presence &&
  e.voicemail === 0 &&
  e.messages === 0 &&
  !e.devices?.size &&
  !e.calendar &&
  !e.line &&
  !e.nextAbsence;

/**
 * Every field of a row, in the order buildRow writes them, as a fast-mode object: a row starts as a
 * copy of it. Built by adding ~30 fields through computed keys, a row became a dictionary-mode object
 * (V8 normalises an object given more than a dozen new properties that way), 3× slower to build and
 * 2× slower to stringify for the SSE stream, once per change. JSON.parse makes an object whose fields
 * all sit in its shape, and a spread of it keeps that shape.
 */
const ROW_SHAPE: Record<keyof Row, unknown> = JSON.parse(
  JSON.stringify(
    Object.fromEntries(
      [
        'org',
        'ext',
        ...PERSON_COLUMNS,
        ...PRESENCE_COLUMNS,
        'voicemail',
        'voicemailSince',
        'messages',
        'phoneMessages',
        'online',
        'panelUnplugged',
        'deviceWarnings',
        'deviceVersions',
        'calendar',
        'line',
        'nextAbsence',
        'undelivered',
      ].map((f) => [f, null]),
    ),
  ),
);

export function buildRow(e: Entry): Row {
  const row = { ...ROW_SHAPE };
  row.org = e.org;
  row.ext = e.ext;
  const { person, presence } = e;
  for (const f of PERSON_COLUMNS) row[f] = person?.[f] ?? null;
  for (const f of PRESENCE_COLUMNS) row[f] = presence?.[f] ?? null;
  row.voicemail = e.voicemail;
  row.voicemailSince = e.voicemailSince;
  row.messages = e.messages;
  row.phoneMessages = e.phoneMessages;
  Object.assign(row, deviceFields(e.devices));
  row.calendar = e.calendar;
  row.line = e.line;
  row.nextAbsence = e.nextAbsence;
  row.undelivered = e.undelivered?.size ?? 0;
  return row as unknown as Row;
}

// What a message changes on the board is only what its part of the row shows: these compare that
// part before and after, so no row has to be built to find out (a row is a pure function of its entry).
// Two different primitives never print the same (JSON has no NaN), so only two objects are printed.
export const sameJson = (a: unknown, b: unknown) =>
  a === b ||
  (typeof a === 'object' &&
    typeof b === 'object' &&
    a !== null &&
    b !== null &&
    JSON.stringify(a) === JSON.stringify(b));

export const samePresenceView = (a: Presence | null, b: Presence | null) =>
  PRESENCE_COLUMNS.every((f) => sameJson(a?.[f] ?? null, b?.[f] ?? null));

export const samePersonView = (a: Person | null, b: Person | null) =>
  PERSON_COLUMNS.every((f) => sameJson(a?.[f] ?? null, b?.[f] ?? null));

/** The entry's row, built only when first asked for after a change. */
export function rowOf(e: Entry): Row {
  if (!e.row) e.row = buildRow(e);
  return e.row;
}
