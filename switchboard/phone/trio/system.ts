// The Trio Enterprise adapter in the phone-system registry (systems.ts): an organisation's `"trio": {…}`.
import { z } from 'zod';
import { adapter } from '../../../config/registry.js';
import { readSecretFile } from '../../../config/secret-file.js';
import { ReasonCode } from '../../../protocol/index.js';
import type { PhoneSystem, PhoneSystemNeeds } from '../port.js';
import { createTrioPhone } from './adapter.js';

export const trioSystem = adapter({
  type: 'trio',
  schema: z.strictObject({
    /** the REST API's base URL (https in production) */
    url: z.url(),
    /** the API's Bearer token, in a file of its own */
    tokenFile: z.string().min(1),
    /** hanvisa reason code → Trio's code, where the organisation's Trio names them otherwise */
    reasons: z.record(ReasonCode, z.string().min(1).max(32)).optional(),
  }),
  create(trio, _: PhoneSystemNeeds): PhoneSystem {
    return createTrioPhone({
      url: trio.url,
      token: readSecretFile(trio.tokenFile, 'Trio token'),
      ...(trio.reasons ? { reasons: trio.reasons } : {}),
    });
  },
});
