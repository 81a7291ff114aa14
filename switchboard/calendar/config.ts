// The calendar bridge's file (JSON): whose calendar to read from where, which prefixes refer, how
// close entries merge. Checked with zod, every error naming its field; passwords live in files of their
// own (a systemd credential), never in this one.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { Ext, issueLines, LANGUAGES, Locale, ReasonCode } from '../../protocol/index.js';
import type { CalendarPerson } from './bridge.js';
import { calDavSource } from './caldav-source.js';
import { graphSource } from './graph-source.js';
import { icsFileSource, icsUrlSource } from './ics-source.js';
import { type PrefixRule, prefixRules } from './prefixes.js';

// errors name fields as people[2].ext
const FILE_ISSUES = { root: '(file)', indexes: 'brackets' } as const;

export class CalendarConfigError extends Error {}

/** One person: an extension and exactly one of the three kinds of source. */
const Person = z
  .strictObject({
    ext: Ext,
    /** a published ICS link: https://, http:// or webcal:// */
    ics: z.string().min(1).optional(),
    /** an .ics file, relative to this config file */
    file: z.string().min(1).optional(),
    caldav: z
      .strictObject({
        url: z.url(),
        username: z.string().min(1).optional(),
        passwordFile: z.string().min(1).optional(),
      })
      .optional(),
    /** Microsoft Graph calendarView: the user, and a file an outside job keeps a fresh access token in */
    graph: z.strictObject({ user: z.string().min(1).max(256), tokenFile: z.string().min(1) }).optional(),
  })
  .refine((p) => [p.ics, p.file, p.caldav, p.graph].filter((s) => s !== undefined).length === 1, {
    message: 'give exactly one of ics, file, caldav or graph',
  });

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

function readPassword(path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new CalendarConfigError(`${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Parses the config file's text; `path` is where relative file names start from. */
export function parseCalendarConfig(text: string, path: string): CalendarConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CalendarConfigError(`not JSON: ${(e as Error).message}`);
  }
  const parsed = CalendarConfigFile.safeParse(json);
  if (!parsed.success) throw new CalendarConfigError(issueLines(parsed.error, FILE_ISSUES).join('\n'));
  const c = parsed.data;
  const base = dirname(path);
  const people = c.people.map((p, i): CalendarPerson => {
    try {
      if (p.ics !== undefined) return { ext: p.ext, source: icsUrlSource(p.ics) };
      if (p.file !== undefined) return { ext: p.ext, source: icsFileSource(resolve(base, p.file)) };
      if (p.graph !== undefined) {
        const tokenFile = resolve(base, p.graph.tokenFile);
        // read at every poll: access tokens live about an hour and are renewed outside
        return {
          ext: p.ext,
          source: graphSource({ user: p.graph.user, token: () => readPassword(tokenFile) }),
        };
      }
      const { url, username, passwordFile } = p.caldav ?? { url: '' };
      return {
        ext: p.ext,
        source: calDavSource({
          url,
          ...(username ? { username } : {}),
          ...(passwordFile ? { password: readPassword(resolve(base, passwordFile)) } : {}),
        }),
      };
    } catch (e) {
      throw new CalendarConfigError(`people[${i}]: ${(e as Error).message}`);
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
