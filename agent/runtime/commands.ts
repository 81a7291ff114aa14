// IT's device commands (identify, inventory, restart): what each one answers and what it asks the agent to
// do; and the result message that answers them (and agent updates, features/update.ts).
import { type Encoded, encode, type Message } from '../../protocol/index.js';
import { AGENT_VERSION, type DeviceFacts } from './device-state.js';

export type DeviceCommand = Message<'device-cmd'>['body'];

/** What an inventory reports besides the device facts. */
export interface InventoryFacts extends DeviceFacts {
  driver: string;
  rejections: number;
  panelFaults: number;
  updateFailures: number;
}

export interface CommandOutcome {
  ok: boolean;
  detail: string;
  /** blink every lamp for this long */
  identifyMs?: number;
  /** restart once the result is sent */
  restart?: true;
}

/** The answer to a command, and its effect on the agent; `canRestart` is false where the runtime has no restart. */
export function commandOutcome(
  cmd: DeviceCommand,
  facts: InventoryFacts,
  canRestart: boolean,
): CommandOutcome {
  switch (cmd.cmd) {
    case 'identify': {
      const seconds = cmd.seconds ?? 10;
      return { ok: true, detail: `identifying for ${seconds} s`, identifyMs: seconds * 1000 };
    }
    case 'inventory':
      return {
        ok: true,
        detail: JSON.stringify({
          agent: AGENT_VERSION,
          ext: facts.ext,
          configVersion: facts.configVersion,
          panel: facts.panel ?? null,
          panelConnected: facts.panelConnected,
          driver: facts.driver,
          rejections: facts.rejections,
          panelFaults: facts.panelFaults,
          updateFailures: facts.updateFailures,
        }),
      };
    case 'restart':
      return canRestart
        ? { ok: true, detail: 'restarting', restart: true }
        : { ok: false, detail: 'restart is not available in this runtime' };
  }
}

/** The answer to a command or an agent update (`order`: its id); a long detail is cut to the contract's 2000. */
export function commandResult(
  org: string,
  deviceId: string,
  at: Date,
  order: { id: string },
  outcome: Pick<CommandOutcome, 'ok' | 'detail'>,
): Encoded {
  const { ok, detail } = outcome;
  return encode({
    kind: 'device-cmd-result',
    org,
    deviceId,
    body: {
      v: 1,
      id: order.id,
      ok,
      at: at.toISOString(),
      ...(detail ? { detail: detail.slice(0, 2000) } : {}),
    },
  });
}
