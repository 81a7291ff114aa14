// The SIP adapter in the phone-system registry (systems.ts): an organisation's `"sip": {…}` settings.
import { join } from 'node:path';
import { z } from 'zod';
import { adapter } from '../../../config/registry.js';
import { readSecretFile } from '../../../config/secret-file.js';
import { readFileBytes } from '../../../config/text-file.js';
import { Ext } from '../../../protocol/index.js';
import { HostPort } from '../host-port.js';
import type { PhoneSystem, PhoneSystemNeeds } from '../port.js';
import { createSipPhone } from './adapter.js';

export const sipSystem = adapter({
  type: 'sip',
  schema: z.strictObject({
    /** the PBX / presence server, host:port */
    server: HostPort,
    /** udp (default), tcp or tls; over TLS the server's certificate is verified */
    transport: z.enum(['udp', 'tcp', 'tls']).optional(),
    /** TLS: the CA that signed the PBX's certificate (PEM; default the system's), the name on it */
    caFile: z.string().min(1).optional(),
    servername: z.string().min(1).optional(),
    domain: z.string().min(1).max(255),
    /** where the PBX sends NOTIFY: an address of this host it can reach */
    listen: HostPort,
    extensions: z.array(Ext).max(100_000),
    /** the expiry asked for subscriptions and publications (s), refreshed at 80 % of what is granted */
    expires: z.number().int().min(60).max(86_400).optional(),
    /** the OPTIONS keepalive's period (s): unanswered for one request's timeout means link down */
    keepaliveSeconds: z.number().int().min(1).max(3600).optional(),
    /** the bridge's SIP account where the PBX challenges (digest: MD5 or SHA-256) */
    auth: z.strictObject({ username: z.string().min(1).max(64), passwordFile: z.string().min(1) }).optional(),
    /** the publications' entity tags across restarts; default beside the config file */
    stateFile: z.string().min(1).optional(),
  }),
  create(sip, { org, configDir }: PhoneSystemNeeds): PhoneSystem {
    return createSipPhone({
      server: sip.server,
      domain: sip.domain,
      extensions: sip.extensions,
      localHost: sip.listen.host,
      localPort: sip.listen.port,
      ...(sip.expires ? { expires: sip.expires } : {}),
      ...(sip.keepaliveSeconds ? { keepaliveMs: sip.keepaliveSeconds * 1000 } : {}),
      ...(sip.auth
        ? {
            credentials: {
              username: sip.auth.username,
              password: readSecretFile(sip.auth.passwordFile, 'SIP password'),
            },
          }
        : {}),
      ...(sip.transport ? { transport: sip.transport } : {}),
      ...(sip.caFile || sip.servername
        ? {
            tls: {
              ...(sip.caFile ? { ca: readFileBytes(sip.caFile, 'SIP CA file') } : {}),
              ...(sip.servername ? { servername: sip.servername } : {}),
            },
          }
        : {}),
      stateFile: sip.stateFile ?? join(configDir, `${org}.sip-publications.json`),
    });
  },
});
