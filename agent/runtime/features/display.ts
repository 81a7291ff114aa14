// The display feature: on every change, the panel shows the rendered LED frame (rules/leds.ts), the
// key faces of panels whose keys are displays, and follows the organisation's long-press setting.

import { type Feature, listening } from '../../../events/feature.js';
import type { KeyFace } from '../../../hardware/port.js';
import { render } from '../../desk/leds.js';
import type { AgentContext } from '../context.js';
import { keyFaces, sameFaces } from '../faces.js';

export function displayFeature(ctx: AgentContext): Feature {
  const { panel, lamps } = ctx;
  let faces: KeyFace[] = [];
  let panelLongPressMs: number | undefined;

  /** key captions and return times, for panels whose keys are displays */
  const showFaces = () => {
    if (!panel.label) return;
    const p = ctx.policy();
    const next = keyFaces(ctx.desk.settings.layout, ctx.sync.presence, p.reasons, p.timeZone);
    if (sameFaces(next, faces)) return;
    faces = next;
    panel.label(next);
  };

  return listening(ctx.bus, {
    changed: () => {
      // a panel that times its own long presses follows the organisation's setting, as the agent does
      const { longPressMs } = ctx.policy();
      if (longPressMs !== panelLongPressMs) {
        panelLongPressMs = longPressMs;
        panel.configure?.({ longPressMs });
      }
      const inputs = ctx.ledInputs();
      lamps.show(render(inputs), inputs.now.getTime());
      showFaces();
    },
    tick: (nowMs) => lamps.tick(nowMs),
    panelConnection: () => {
      // a panel that comes back shows the truth at once
      lamps.resend();
      faces = [];
    },
  });
}
