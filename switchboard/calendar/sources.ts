// The kinds of calendar source a person's entry in the calendar file can name, each under the field of
// its name (`"ics": "https://…"`, `"caldav": {…}`). A new kind is its module behind source.ts and one
// entry here; config.ts builds the file's check ("exactly one of …") from this list.
import { resolve } from 'node:path';
import { z } from 'zod';
import { adapter } from '../../config/registry.js';
import { readSecretFile } from '../../config/secret-file.js';
import { calDavSource } from './caldav-source.js';
import { graphSource } from './graph-source.js';
import { icsFileSource, icsUrlSource } from './ics-source.js';
import type { CalendarSource } from './source.js';

/** What every source's `create` gets besides its settings. */
export interface SourceNeeds {
  /** the calendar file's folder: relative file names start there */
  base: string;
}

export const CALENDAR_SOURCES = [
  adapter({
    type: 'ics',
    /** a published ICS link: https://, http:// or webcal:// */
    schema: z.string().min(1),
    create: (link, _: SourceNeeds): CalendarSource => icsUrlSource(link),
  }),
  adapter({
    type: 'file',
    /** an .ics file, relative to the calendar file */
    schema: z.string().min(1),
    create: (path, { base }: SourceNeeds): CalendarSource => icsFileSource(resolve(base, path)),
  }),
  adapter({
    type: 'caldav',
    schema: z.strictObject({
      url: z.url(),
      username: z.string().min(1).optional(),
      passwordFile: z.string().min(1).optional(),
    }),
    create: ({ url, username, passwordFile }, { base }: SourceNeeds): CalendarSource =>
      calDavSource({
        url,
        ...(username ? { username } : {}),
        ...(passwordFile ? { password: readSecretFile(resolve(base, passwordFile), 'CalDAV password') } : {}),
      }),
  }),
  adapter({
    type: 'graph',
    /** Microsoft Graph calendarView: the user, and a file an outside job keeps a fresh access token in */
    schema: z.strictObject({ user: z.string().min(1).max(256), tokenFile: z.string().min(1) }),
    create({ user, tokenFile }, { base }: SourceNeeds): CalendarSource {
      const path = resolve(base, tokenFile);
      // read at every poll: access tokens live about an hour and are renewed outside
      return graphSource({ user, token: () => readSecretFile(path, 'Graph token') });
    },
  }),
] as const;
