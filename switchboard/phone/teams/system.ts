// The Teams presence mirror in the phone-system registry (systems.ts): an organisation's
// `"teams": {…}` settings. The app registration needs the Graph application permissions Presence.ReadWrite.All
// and MailboxSettings.ReadWrite (docs/phone.md, "Microsoft Teams").
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { adapter } from '../../../config/registry.js';
import { readSecretFile } from '../../../config/secret-file.js';
import { Ext } from '../../../protocol/index.js';
import type { PhoneSystem, PhoneSystemNeeds } from '../port.js';
import { createTeamsPresence } from './adapter.js';

export const teamsSystem = adapter({
  type: 'teams',
  schema: z.object({
    tenant: z.string().min(1).max(100),
    clientId: z.uuid(),
    /** the app registration's client secret, in a file of its own */
    clientSecretFile: z.string().min(1),
    /** extension → the person's Entra user id or user principal name */
    users: z.record(Ext, z.string().min(1).max(256)),
    /** which users hanvisa switched automatic replies on for; default beside the config file */
    stateFile: z.string().min(1).optional(),
    /** for a national cloud or a test: default https://graph.microsoft.com/v1.0 and https://login.microsoftonline.com */
    graph: z.url().optional(),
    authority: z.url().optional(),
  }),
  create(t, { org, configDir }: PhoneSystemNeeds): PhoneSystem {
    return createTeamsPresence({
      credentials: {
        tenant: t.tenant,
        clientId: t.clientId,
        clientSecret: readSecretFile(resolve(configDir, t.clientSecretFile), 'teams clientSecretFile'),
        ...(t.authority ? { authority: t.authority } : {}),
      },
      users: t.users,
      // the app's own id names its presence sessions
      sessionId: t.clientId,
      stateFile: t.stateFile ? resolve(configDir, t.stateFile) : join(configDir, `${org}.teams-state.json`),
      ...(t.graph ? { graph: t.graph } : {}),
    });
  },
});
