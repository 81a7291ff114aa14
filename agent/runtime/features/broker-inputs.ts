// The desk side of the calendar, phone and organisation inputs: message waiting, voicemail, queues and
// the organisation's policy, as the broker carries them for this desk.

import { type Feature, listening } from '../../../events/feature.js';
import type { AgentContext } from '../context.js';

export function brokerInputsFeature(ctx: AgentContext): Feature {
  return listening(ctx.bus, {
    brokerMessage: (m) => {
      switch (m.kind) {
        case 'mwi':
        case 'mwi-message':
        case 'voicemail':
        case 'queue':
        case 'directory-org':
          if (ctx.heard.take(m, ctx.desk.settings)) ctx.changed();
      }
    },
  });
}
