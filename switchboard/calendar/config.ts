// The calendar bridge's file (JSON): whose calendar to read from where, which prefixes refer, how
// close entries merge. Checked with zod, every error naming its field; passwords live in files of their
// own (a systemd credential), never in this one.
import { dirname } from 'node:path';
import { z } from 'zod';
import { ConfigFileError, readJsonFile } from '../../config/json-file.js';
import { createKeyed, exactlyOne, keyedFields } from '../../config/registry.js';
import { Ext, LANGUAGES, Locale, ReasonCode } from '../../protocol/index.js';
import type { CalendarPerson } from './options.js';
import { type PrefixRule, prefixRules } from './prefixes.js';
import { CALENDAR_SOURCES } from './sources.js';

/** One person: an extension and exactly one source (sources.ts), under the field of its kind. */
const Person = exactlyOne(z.strictObject({ ext: Ext, ...keyedFields(CALENDAR_SOURCES) }), CALENDAR_SOURCES);

export const CalendarConfigFile = z.strictObject({
  /** the prefix sets that apply (default all three) */
  languages: z
    .array(Locale)
    .min(1)
    .default([...LANGUAGES]),
  /** the organisation's own prefixes, also redefining a default one */
  prefixes: z
    .array(
      z.strictObject({
        prefix: z.string().regex(/^[^:]{1,16}$/, '1-16 characters, no colon'),
        reason: ReasonCode,
      }),
    )
    .max(64)
    .default([]),
  /** entries at most this many minutes apart are one absence (SAMSA: state the total absence) */
  gapMinutes: z.number().int().min(0).max(120).default(0),
  /** what a private entry shows (its subject and reason stay in the calendar) */
  privateReason: ReasonCode.default('out'),
  pollSeconds: z.number().int().min(30).max(86_400).default(300),
  people: z
    .array(Person)
    .min(1)
    .max(20_000)
    .superRefine((people, ctx) => {
      const seen = new Set<string>();
      people.forEach((p, i) => {
        if (seen.has(p.ext))
          ctx.addIssue({ code: 'custom', message: `extension ${p.ext} appears twice`, path: [i, 'ext'] });
        seen.add(p.ext);
      });
    }),
});

export interface CalendarConfig {
  rules: PrefixRule[];
  gapMinutes: number;
  privateReason: string;
  pollMs: number;
  people: CalendarPerson[];
}

/** The calendar file, checked, with every person's source made. */
export function loadCalendarConfig(path: string): CalendarConfig {
  const c = readJsonFile(path, CalendarConfigFile, 'calendar config');
  const needs = { base: dirname(path) };
  const people = c.people.map((p, i): CalendarPerson => {
    try {
      return { ext: p.ext, source: createKeyed(CALENDAR_SOURCES, p, needs) };
    } catch (e) {
      throw new ConfigFileError(`calendar config ${path}`, [`people[${i}]: ${(e as Error).message}`]);
    }
  });
  return {
    rules: prefixRules(c.languages, c.prefixes),
    gapMinutes: c.gapMinutes,
    privateReason: c.privateReason,
    pollMs: c.pollSeconds * 1000,
    people,
  };
}
