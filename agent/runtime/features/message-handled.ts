// The message key: marks the message the desk shows as handled, for everyone (the board clears it).

import { type Feature, listening } from '../../../events/feature.js';
import { messageToHandle } from '../../../rules/messages.js';
import type { AgentContext } from '../context.js';

export function messageHandledFeature(ctx: AgentContext): Feature {
  return listening(ctx.bus, {
    action: (action) => {
      if (action.type !== 'message-handled') return;
      const message = messageToHandle(ctx.heard.mwi, ctx.policy());
      if (!message || !ctx.session.connected) return;
      const body = { v: 1 as const, id: message.id, by: ctx.actor, at: ctx.now().toISOString() };
      void ctx.session.send({ kind: 'mwi-handled', org: ctx.config.org, ext: ctx.desk.settings.ext, body });
    },
  });
}
