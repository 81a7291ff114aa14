// The webhook adapter in the phone-system registry (systems.ts): an organisation's `"webhook": {…}`.
import { join } from 'node:path';
import { z } from 'zod';
import { adapter } from '../../../config/registry.js';
import { readSecretFile } from '../../../config/secret-file.js';
import { HostPort } from '../host-port.js';
import type { PhoneSystem, PhoneSystemNeeds } from '../port.js';
import { createWebhookPhone } from './adapter.js';

export const webhookSystem = adapter({
  type: 'webhook',
  schema: z.strictObject({
    listen: HostPort,
    /** the shared secret, in a file of its own (not in the config, not on the command line) */
    secretFile: z.string().min(1),
    replayWindowSeconds: z.number().int().min(10).max(3600).optional(),
    /** the event ledger (ids seen, newest queue and voicemail applied); default beside the config file */
    ledgerFile: z.string().min(1).optional(),
    silenceSeconds: z.number().int().min(10).max(86_400).optional(),
    out: z.strictObject({ url: z.url(), undeliverablePath: z.string().min(1).optional() }).optional(),
  }),
  create(w, { org, configDir }: PhoneSystemNeeds): PhoneSystem {
    return createWebhookPhone({
      org,
      host: w.listen.host,
      port: w.listen.port,
      secret: readSecretFile(w.secretFile, 'webhook secret'),
      ledgerFile: w.ledgerFile ?? join(configDir, `${org}.webhook-ledger.json`),
      ...(w.replayWindowSeconds ? { replayWindowSeconds: w.replayWindowSeconds } : {}),
      ...(w.silenceSeconds ? { silenceSeconds: w.silenceSeconds } : {}),
      ...(w.out ? { out: w.out } : {}),
    });
  },
});
