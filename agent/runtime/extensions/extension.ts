// An agent extension is a set of event handlers over the shared context, plus what it must do when the
// agent stops. Most extensions are only handlers; this builds their start/stop.
import { type Extension, type Handlers, subscribeAll } from '../../../events/bus.js';
import type { AgentContext } from '../context.js';
import type { AgentEvents } from '../events.js';

export type AgentExtension = Extension;

export function listening(
  ctx: AgentContext,
  handlers: Handlers<AgentEvents>,
  stopping?: () => void,
): Extension {
  let off: (() => void) | undefined;
  return {
    start() {
      off = subscribeAll(ctx.bus, handlers);
    },
    stop() {
      off?.();
      off = undefined;
      stopping?.();
    },
  };
}
