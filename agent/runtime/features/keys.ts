// The keys feature: the panel's key events and the timer's ticks through the gesture recogniser, and
// each fired key through the desk's layout into an action.

import { type Feature, listening } from '../../../events/feature.js';
import { actionForKey } from '../../desk/keys.js';
import type { AgentContext } from '../context.js';

export function keysFeature(ctx: AgentContext): Feature {
  const { keys, clock } = ctx;
  return listening(ctx.bus, {
    keyEvent: (event) => {
      keys.feed(event, clock.now(), ctx.longPressMs());
      ctx.changed();
    },
    tick: (nowMs) => keys.feed({ type: 'tick' }, nowMs, ctx.longPressMs()),
    keyFired: ({ key, long }) => {
      const action = actionForKey(ctx.desk.settings.layout, key, long);
      if (action) ctx.bus.emit('action', action);
    },
  });
}
