// The wake feature: the agent's one timer, armed after every change at the next instant anything
// changes by time alone; when it fires, every feature hears `tick` and the display follows.

import { type Feature, listening } from '../../../events/feature.js';
import { nextWake } from '../../../rules/referral.js';
import { nextFrameChange } from '../../desk/leds.js';
import type { AgentContext } from '../context.js';
import { earliest, WakeTimer } from '../wake.js';

export function wakeFeature(ctx: AgentContext): Feature {
  const { clock } = ctx;
  const timer = new WakeTimer(clock, () => {
    if (ctx.desk.stopped) return;
    ctx.bus.emit('tick', clock.now());
    ctx.changed();
  });
  return listening(
    ctx.bus,
    {
      changed: () => {
        // the change's one instant (the lamps were drawn at it too)
        const inputs = ctx.ledInputs();
        const t = inputs.now.getTime();
        const presence = ctx.sync.presence;
        timer.armAt(
          earliest([
            presence ? nextWake(presence, ctx.deskContext())?.getTime() : undefined,
            nextFrameChange(inputs)?.getTime(),
            ctx.keys.wakeAtMs,
            ctx.lamps.nextChange(t),
          ]),
        );
      },
    },
    () => timer.cancel(),
  );
}
