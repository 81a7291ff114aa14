// The wake extension: the agent's one timer, armed after every change at the next instant anything
// changes by time alone; when it fires, every extension hears `tick` and the display follows.
import { nextFrameChange } from '../../../rules/leds.js';
import { nextWake } from '../../../rules/referral.js';
import type { AgentContext } from '../context.js';
import { WakeTimer, wakeDelay } from '../wake.js';
import { type AgentExtension, listening } from './extension.js';

export function wakeExtension(ctx: AgentContext): AgentExtension {
  const { clock } = ctx;
  const timer = new WakeTimer(clock, () => {
    if (ctx.desk.stopped) return;
    ctx.bus.emit('tick', clock.now());
    ctx.changed();
  });
  return listening(
    ctx,
    {
      changed: () => {
        const t = clock.now();
        const presence = ctx.sync.presence;
        timer.arm(
          wakeDelay(t, [
            presence ? nextWake(presence, ctx.deskContext())?.getTime() : undefined,
            nextFrameChange(ctx.ledInputs())?.getTime(),
            ctx.keys.wakeAtMs,
            ctx.lamps.nextChange(t),
          ]),
        );
      },
    },
    () => timer.cancel(),
  );
}
