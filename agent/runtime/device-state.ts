// The desk's retained device state: its birth (online, with agent, config and panel), and its orderly goodbye.
import { packageVersion } from '../../config/package.js';
import type { PanelDescription } from '../../hardware/port.js';
import { type DeviceState, type Encoded, encode } from '../../protocol/index.js';

/** the installed package's: after an agent update, the new release's (docs/provisioning.md) */
export const AGENT_VERSION = packageVersion();

/** What the desk knows about itself right now. */
export interface DeviceFacts {
  ext: string;
  configVersion: number;
  panel: PanelDescription | undefined;
  panelConnected: boolean;
  /** the layout's keys and LEDs this panel lacks (device-settings.ts layoutFit) */
  warnings?: readonly string[];
}

export function deviceStateMessage(
  org: string,
  deviceId: string,
  at: Date,
  online: boolean,
  facts: DeviceFacts,
): Encoded {
  // the version even when going offline: IT plans an upgrade for the desks that are off too
  const body: DeviceState = { v: 1, online, at: at.toISOString(), ext: facts.ext, agent: AGENT_VERSION };
  if (online) {
    body.configVersion = facts.configVersion;
    body.panelConnected = facts.panelConnected;
    if (facts.warnings?.length) body.warnings = facts.warnings.slice(0, 16).map((w) => w.slice(0, 200));
    const d = facts.panel;
    if (d) {
      body.panel = {
        hardwareId: d.hardwareId,
        model: d.model,
        keys: d.keys,
        leds: d.leds,
        ...(d.firmware ? { firmware: d.firmware } : {}),
      };
    }
  }
  return encode({ kind: 'device-state', org, deviceId, body });
}

/**
 * The last will: no ext, since IT may reassign the desk while connected (the board takes the ext from
 * IT's config); the agent's version, which cannot change while connected.
 */
export function deviceWill(org: string, deviceId: string): Encoded {
  return encode({ kind: 'device-state', org, deviceId, body: { v: 1, online: false, agent: AGENT_VERSION } });
}
