// The notifier's file (JSON, examples/notify.json): where its pages are reached, its link secret and
// state file, its mailers (e-mail, and SMS where the organisation has a gateway), the retry policy and
// the nudge. Checked with zod, every error naming its field; secrets live in files of their own.
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigFileError, readJsonFile } from '../../config/json-file.js';
import { createKeyed, exactlyOne, keyedFields } from '../../config/registry.js';
import { readSecretFile } from '../../config/secret-file.js';
import { DepartmentId, Ext } from '../../protocol/index.js';
import type { RetryPolicy } from './context.js';
import type { Contact } from './features/managers.js';
import type { Channel, Mailer } from './mailer.js';
import { EMAIL_MAILERS, SMS_MAILERS } from './mailers.js';
import type { VapidKeys } from './push.js';

export const NotifyConfigFile = z.strictObject({
  /** the address staff's browsers reach the notifier's pages at (behind nginx): the links point there */
  publicUrl: z.url({ protocol: /^https?$/ }),
  listen: z
    .strictObject({ host: z.string().min(1).default('127.0.0.1'), port: z.number().int().min(0).max(65_535) })
    .default({ host: '127.0.0.1', port: 8082 }),
  /** HMAC key of the links, one line of at least 32 characters */
  linkSecretFile: z.string().min(1),
  /** deliveries, used links, nudges and alarms across restarts */
  stateFile: z.string().min(1),
  email: exactlyOne(z.strictObject(keyedFields(EMAIL_MAILERS)), EMAIL_MAILERS).optional(),
  sms: exactlyOne(z.strictObject(keyedFields(SMS_MAILERS)), SMS_MAILERS).optional(),
  retry: z
    .strictObject({
      firstSeconds: z.number().int().min(1).max(3600).default(30),
      maxMinutes: z.number().int().min(1).max(1440).default(30),
      attempts: z.number().int().min(1).max(100).default(10),
    })
    .default({ firstSeconds: 30, maxMinutes: 30, attempts: 10 }),
  /** how long a link works at most (each works once in any case) */
  linkDays: z.number().int().min(1).max(90).default(14),
  /** department id → whom to tell when it is left unstaffed in phone hours: a directory extension, or an address */
  departments: z
    .record(
      DepartmentId,
      z.strictObject({
        tell: z
          .array(
            z.union([
              z.strictObject({ ext: Ext }),
              z
                .strictObject({
                  name: z.string().min(1).max(120).optional(),
                  email: z.email().optional(),
                  mobile: z
                    .string()
                    .regex(/^\+?[0-9 -]{6,20}$/, 'a phone number')
                    .optional(),
                })
                .refine((c) => c.email !== undefined || c.mobile !== undefined, 'give email or mobile'),
            ]),
          )
          .min(1)
          .max(10),
      }),
    )
    .default({}),
  /** Web Push for the staff page's nudge: `npx web-push generate-vapid-keys` makes the pair */
  push: z
    .strictObject({
      vapidPublicKey: z
        .string()
        .regex(/^[A-Za-z0-9_-]{87}$/, 'the public key as web-push prints it (87 characters)'),
      vapidPrivateKeyFile: z.string().min(1),
      /** where a push service can reach IT: mailto:… or https://… */
      subject: z.string().regex(/^(mailto:|https:\/\/)\S+$/, 'mailto:… or https://…'),
    })
    .optional(),
});

export interface NotifyConfig {
  publicUrl: string;
  listen: { host: string; port: number };
  linkSecret: string;
  stateFile: string;
  mailers: Partial<Record<Channel, Mailer>>;
  retry: RetryPolicy;
  linkTtlMs: number;
  vapid?: VapidKeys;
  managers: Record<string, Contact[]>;
}

/** The notifier file, checked, with its secrets read and its mailers made. */
export function loadNotifyConfig(path: string): NotifyConfig {
  const c = readJsonFile(path, NotifyConfigFile, 'notify config');
  const base = dirname(path);
  const fail = (field: string, e: unknown) =>
    new ConfigFileError(`notify config ${path}`, [`${field}: ${(e as Error).message}`]);
  const linkSecret = readSecretFile(resolve(base, c.linkSecretFile), 'linkSecretFile');
  if (linkSecret.length < 32)
    throw fail('linkSecretFile', new Error('the secret must be 32 characters or more'));
  const mailers: Partial<Record<Channel, Mailer>> = {};
  try {
    if (c.email) mailers.email = createKeyed(EMAIL_MAILERS, c.email, { base });
  } catch (e) {
    throw fail('email', e);
  }
  try {
    if (c.sms) mailers.sms = createKeyed(SMS_MAILERS, c.sms, { base });
  } catch (e) {
    throw fail('sms', e);
  }
  return {
    publicUrl: c.publicUrl,
    listen: c.listen,
    linkSecret,
    stateFile: resolve(base, c.stateFile),
    mailers,
    retry: {
      firstMs: c.retry.firstSeconds * 1000,
      maxMs: c.retry.maxMinutes * 60_000,
      attempts: c.retry.attempts,
    },
    linkTtlMs: c.linkDays * 24 * 3600_000,
    managers: Object.fromEntries(Object.entries(c.departments).map(([id, d]) => [id, d.tell])),
    ...(c.push
      ? {
          vapid: {
            publicKey: c.push.vapidPublicKey,
            privateKey: readSecretFile(resolve(base, c.push.vapidPrivateKeyFile), 'vapidPrivateKeyFile'),
            subject: c.push.subject,
          },
        }
      : {}),
  };
}
