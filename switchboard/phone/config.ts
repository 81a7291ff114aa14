// `hanvisa phone`'s config file: the broker, and per organisation one phone system (one of
// systems.ts, under its own field: `"sip": {…}` or `"webhook": {…}`) with the queue lamp's thresholds.
import { z } from 'zod';
import { exactlyOne, keyedFields } from '../../config/registry.js';
import { brokerUrls } from '../../mqtt/client.js';
import { Ext, QueueId, SEGMENT_PATTERNS } from '../../protocol/index.js';
import { PHONE_SYSTEMS } from './systems.js';

const Org = exactlyOne(
  z.strictObject({
    org: z.string().regex(SEGMENT_PATTERNS.org),
    /** this organisation's own broker account (the ACL's switchboard-ORG); default the top-level one */
    broker: z
      .strictObject({ username: z.string().min(1), passwordFile: z.string().min(1).optional() })
      .optional(),
    alarmSeconds: z
      .strictObject({
        default: z.number().int().min(1).max(3600).optional(),
        queues: z.record(QueueId, z.number().int().min(1).max(3600)).optional(),
      })
      .optional(),
    /** calls follow the referral (docs/phone.md): where referred and rung-out calls go, the ring limit */
    routing: z
      .object({
        switchboard: Ext,
        ringLimitSeconds: z.number().int().min(5).max(300).optional(),
        refuseForwardTo: z.array(Ext).max(100).optional(),
      })
      .optional(),
    ...keyedFields(PHONE_SYSTEMS),
  }),
  PHONE_SYSTEMS,
);

export const PhoneConfig = z
  .strictObject({
    broker: z.strictObject({
      /** one broker, or a cluster's nodes comma-separated (mqtt/client.ts brokerUrls) */
      url: z.string().superRefine((setting, ctx) => {
        try {
          brokerUrls(setting);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message });
        }
      }),
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
      .refine(
        (orgs) => new Set(orgs.map((o) => o.org)).size === orgs.length,
        'an organisation appears twice',
      ),
  })
  .superRefine(
    ({ broker, orgs }, ctx) => {
      // each organisation's bridge is a connection of its own, and the broker takes the username as the
      // client id (deploy/mosquitto, the embedded broker): two under one name throw each other off.
      // Checked also when other fields are wrong (`when`), so a file's every problem is named at once:
      // the values are then only as typed where they passed, hence the checks of what they are.
      const first = new Map<string, string>();
      if (!Array.isArray(orgs)) return;
      orgs.forEach((o, i) => {
        const username = o?.broker?.username ?? broker?.username;
        if (typeof username !== 'string') return;
        const other = first.get(username);
        if (other === undefined) first.set(username, o.org);
        else
          ctx.addIssue({
            code: 'custom',
            path: ['orgs', i, 'broker', 'username'],
            message: `${username} is ${other}'s broker account too: give each organisation its own (its switchboard-ORG)`,
          });
      });
    },
    { when: () => true },
  );

export type PhoneConfig = z.infer<typeof PhoneConfig>;
