// The mailers a notifier file can name, each under the field of its name: `"email": { "smtp": {…} }`,
// `"sms": { "elks": {…} }`. A new one (Microsoft Graph's sendMail, another SMS supplier) is its module
// behind mailer.ts and one entry here; config.ts builds the file's check from these lists. Passwords
// live in files of their own, named relative to the notifier file.
import { resolve } from 'node:path';
import { z } from 'zod';
import { adapter } from '../../config/registry.js';
import { readSecretFile } from '../../config/secret-file.js';
import type { Mailer } from './mailer.js';
import { smsGateway } from './sms-gateway.js';
import { smtpMailer } from './smtp-mailer.js';

/** What every mailer's `create` gets besides its settings. */
export interface MailerNeeds {
  /** the notifier file's folder: relative file names start there */
  base: string;
}

export const EMAIL_MAILERS = [
  adapter({
    type: 'smtp',
    schema: z.strictObject({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65_535).default(587),
      /** TLS from the first byte (465); otherwise STARTTLS, required unless `requireTls: false` */
      secure: z.boolean().default(false),
      requireTls: z.boolean().default(true),
      from: z.string().min(3).max(200),
      username: z.string().min(1).optional(),
      passwordFile: z.string().min(1).optional(),
    }),
    create: (s, { base }: MailerNeeds): Mailer =>
      smtpMailer({
        ...s,
        password: s.passwordFile
          ? readSecretFile(resolve(base, s.passwordFile), 'smtp passwordFile')
          : undefined,
      }),
  }),
];

export const SMS_MAILERS = [
  adapter({
    type: 'elks',
    schema: z.strictObject({
      url: z.url({ protocol: /^https?$/ }).default('https://api.46elks.com'),
      username: z.string().min(1),
      passwordFile: z.string().min(1),
      /** the sender: a name of 3-11 letters and digits, or a number */
      from: z
        .string()
        .regex(/^([A-Za-z][A-Za-z0-9]{2,10}|\+[0-9]{6,15})$/, 'a name of 3-11 letters/digits or +number'),
    }),
    create: (s, { base }: MailerNeeds): Mailer =>
      smsGateway({
        url: s.url,
        username: s.username,
        password: readSecretFile(resolve(base, s.passwordFile), 'elks passwordFile'),
        from: s.from,
      }),
  }),
];
