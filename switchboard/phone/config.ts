// `hanvisa phone`'s config file: the broker, and per organisation one phone system (SIP or webhook)
// with the queue lamp's thresholds. Validated with zod; a bad file is refused with the field named.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Ext, issueLines, QueueId, SEGMENT_PATTERNS } from '../../protocol/index.js';

const HostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'host:port')
  .transform((s) => {
    const i = s.lastIndexOf(':');
    return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
  });

const Sip = z.object({
  /** the PBX / presence server, host:port (UDP) */
  server: HostPort,
  domain: z.string().min(1).max(255),
  /** where the PBX sends NOTIFY: an address of this host it can reach */
  listen: HostPort,
  extensions: z.array(Ext).max(100_000),
  expires: z.number().int().min(60).max(86_400).optional(),
  keepaliveSeconds: z.number().int().min(1).max(3600).optional(),
});

const Webhook = z.object({
  listen: HostPort,
  /** the shared secret, in a file of its own (not in the config, not on the command line) */
  secretFile: z.string().min(1),
  replayWindowSeconds: z.number().int().min(10).max(3600).optional(),
  silenceSeconds: z.number().int().min(10).max(86_400).optional(),
  out: z.object({ url: z.url(), undeliverablePath: z.string().min(1).optional() }).optional(),
});

const Org = z
  .object({
    org: z.string().regex(SEGMENT_PATTERNS.org),
    alarmSeconds: z
      .object({
        default: z.number().int().min(1).max(3600).optional(),
        queues: z.record(QueueId, z.number().int().min(1).max(3600)).optional(),
      })
      .optional(),
    sip: Sip.optional(),
    webhook: Webhook.optional(),
  })
  .refine(
    (o) => (o.sip ? 1 : 0) + (o.webhook ? 1 : 0) === 1,
    'each organisation has exactly one of sip, webhook',
  );

export const PhoneConfig = z.object({
  broker: z.object({
    url: z.string().regex(/^(mqtts?|wss?|tcp):\/\/[^/\s]+/, 'an mqtt:// URL'),
    username: z.string().min(1).optional(),
    passwordFile: z.string().min(1).optional(),
    /** mqtts://: PEM files (paths) and the name on the broker's certificate, as the agent's broker.* */
    caFile: z.string().min(1).optional(),
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
    servername: z.string().min(1).optional(),
  }),
  orgs: z
    .array(Org)
    .min(1)
    .refine((orgs) => new Set(orgs.map((o) => o.org)).size === orgs.length, 'an organisation appears twice'),
});

export type PhoneConfig = z.infer<typeof PhoneConfig>;

export class PhoneConfigError extends Error {}

export function parsePhoneConfig(value: unknown, where: string): PhoneConfig {
  const r = PhoneConfig.safeParse(value);
  if (r.success) return r.data;
  throw new PhoneConfigError(`${where}: ${issueLines(r.error, { max: 1, root: '(top)' }).join('')}`);
}

/** A secret or password from its own file; one trailing newline dropped. */
export function readSecret(path: string): string {
  const text = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  if (text === '' || /[\r\n]/.test(text))
    throw new PhoneConfigError(`${path}: must hold the secret on one line`);
  return text;
}
