// The presence feature: the desk's referral state against the broker's retained one. Key actions
// and the clock move it (pure rules in rules/referral.ts); the link's ups and downs and the broker's
// copy reconcile it (presence-sync.ts).

import { type Feature, listening } from '../../../events/feature.js';
import { applyAction, initialPresence, onTime } from '../../../rules/referral.js';
import type { AgentContext } from '../context.js';

export function presenceFeature(ctx: AgentContext): Feature {
  const { sync } = ctx;
  return listening(
    ctx.bus,
    {
      status: (status) => {
        if (status !== 'online') sync.lost();
        ctx.changed();
      },
      subscribed: () => {
        if (!sync.settled) sync.awaitBroker();
      },
      presence: ({ message }) => {
        if (message.ext !== ctx.desk.settings.ext) return;
        sync.heard(message.body);
        ctx.changed();
      },
      action: (action) => {
        if (action.type === 'message-handled') return;
        // Unknown state (corrupt journal, broker unseen): a press is still the person's intent; start from available.
        const presence = sync.presence;
        const base = presence ?? initialPresence(ctx.now(), ctx.actor);
        const next = applyAction(base, action, ctx.deskContext());
        if (next !== base || !presence) sync.set(next);
      },
      tick: () => {
        const presence = sync.presence;
        if (presence) sync.set(onTime(presence, ctx.deskContext()));
      },
    },
    () => sync.stop(),
  );
}
