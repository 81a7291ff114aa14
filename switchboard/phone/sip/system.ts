// The SIP adapter in the phone-system registry (systems.ts): an organisation's `"sip": {…}` settings.
import { z } from 'zod';
import { adapter } from '../../../config/registry.js';
import { Ext } from '../../../protocol/index.js';
import { HostPort } from '../host-port.js';
import type { PhoneSystem, PhoneSystemNeeds } from '../port.js';
import { createSipPhone } from './adapter.js';

export const sipSystem = adapter({
  type: 'sip',
  schema: z.object({
    /** the PBX / presence server, host:port (UDP) */
    server: HostPort,
    domain: z.string().min(1).max(255),
    /** where the PBX sends NOTIFY: an address of this host it can reach */
    listen: HostPort,
    extensions: z.array(Ext).max(100_000),
    expires: z.number().int().min(60).max(86_400).optional(),
    keepaliveSeconds: z.number().int().min(1).max(3600).optional(),
  }),
  create(sip, _: PhoneSystemNeeds): PhoneSystem {
    return createSipPhone({
      server: sip.server,
      domain: sip.domain,
      extensions: sip.extensions,
      localHost: sip.listen.host,
      localPort: sip.listen.port,
      ...(sip.expires ? { expires: sip.expires } : {}),
      ...(sip.keepaliveSeconds ? { keepaliveMs: sip.keepaliveSeconds * 1000 } : {}),
    });
  },
});
