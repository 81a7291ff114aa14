// The kinds of calendar source a person's entry in the calendar file can name, each under the field of
// its name (`"ics": "https://…"`, `"caldav": {…}`). A new kind is its module behind source.ts and one
// entry here; config.ts builds the file's check ("exactly one of …") from this list.
import { resolve } from 'node:path';
import { z } from 'zod';
import { adapter } from '../../config/registry.js';
import { readSecretFile } from '../../config/secret-file.js';
import { systemClock } from '../../rules/clock.js';
import { clientCredentialsToken, type TokenSource } from '../graph/client-credentials.js';
import { calDavSource } from './caldav-source.js';
import { graphSource } from './graph-source.js';
import { icsFileSource, icsUrlSource } from './ics-source.js';
import type { CalendarSource } from './source.js';

/** What every source's `create` gets besides its settings. */
export interface SourceNeeds {
  /** the calendar file's folder: relative file names start there */
  base: string;
}

const APP_TOKENS = new Map<string, TokenSource>();

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
    /**
     * Microsoft Graph calendarView: the user, and either a file an outside job keeps a fresh access
     * token in, or the app registration's client credentials (tokens fetched and renewed here)
     */
    schema: z
      .strictObject({
        user: z.string().min(1).max(256),
        tokenFile: z.string().min(1).optional(),
        tenant: z.string().min(1).max(100).optional(),
        clientId: z.uuid().optional(),
        clientSecretFile: z.string().min(1).optional(),
      })
      .refine(
        (g) =>
          (g.tokenFile !== undefined) !==
          (g.tenant !== undefined && g.clientId !== undefined && g.clientSecretFile !== undefined),
        'give tokenFile, or tenant, clientId and clientSecretFile',
      ),
    create({ user, tokenFile, tenant, clientId, clientSecretFile }, { base }: SourceNeeds): CalendarSource {
      if (tokenFile !== undefined) {
        const path = resolve(base, tokenFile);
        // read at every poll: access tokens live about an hour and are renewed outside
        return graphSource({ user, token: () => readSecretFile(path, 'Graph token') });
      }
      const secretPath = resolve(base, clientSecretFile as string);
      const key = `${tenant}|${clientId}|${secretPath}`;
      // one app's token serves every person's calendar
      let tokens = APP_TOKENS.get(key);
      if (!tokens) {
        tokens = clientCredentialsToken(
          {
            tenant: tenant as string,
            clientId: clientId as string,
            clientSecret: readSecretFile(secretPath, 'Graph clientSecretFile'),
          },
          systemClock,
        );
        APP_TOKENS.set(key, tokens);
      }
      const source = tokens;
      return graphSource({ user, token: () => source.get() });
    },
  }),
] as const;
