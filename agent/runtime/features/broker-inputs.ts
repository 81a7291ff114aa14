// The desk side of the calendar, phone and organisation inputs: message waiting, voicemail, queues and
// the organisation's policy, as the broker carries them for this desk.
import type { AgentContext } from '../context.js';
import { type AgentExtension, listening } from './extension.js';

export function brokerInputsExtension(ctx: AgentContext): AgentExtension {
  return listening(ctx, {
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
