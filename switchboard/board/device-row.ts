// What a row shows of the person's desk devices (device-bindings.ts decides which devices are
// theirs): online, a key panel unplugged, warnings and versions, each a pure function of the devices.
import type { Binding, DeviceVersions } from './device-bindings.js';
import type { Row } from './row.js';

export type DeviceOnRow = Pick<Binding, 'online' | 'warnings' | 'versions' | 'panelConnected'>;

function onlineOf(devices: Map<string, DeviceOnRow> | null): boolean | null {
  if (!devices?.size) return null;
  for (const d of devices.values()) if (d.online) return true;
  return false;
}

/**
 * true when the person's desks are online but not one online desk has its key panel plugged in (each
 * says panelConnected false): the agent answers, the keys do not; null otherwise.
 */
function panelUnpluggedOf(devices: Map<string, DeviceOnRow> | null): true | null {
  let online = false;
  for (const d of devices?.values() ?? []) {
    if (!d.online) continue;
    if (d.panelConnected !== false) return null;
    online = true;
  }
  return online ? true : null;
}

/** Every distinct warning of the row's devices, or null: a device warns until it reports it fits. */
function warningsOf(devices: Map<string, DeviceOnRow> | null): string[] | null {
  const all = new Set<string>();
  for (const d of devices?.values() ?? []) for (const w of d.warnings) all.add(w);
  return all.size ? [...all] : null;
}

/** The versions the row's devices report, each pair once, or null when none says any. */
function versionsOf(devices: Map<string, DeviceOnRow> | null): DeviceVersions[] | null {
  const all = new Map<string, DeviceVersions>();
  for (const { versions } of devices?.values() ?? [])
    if (versions.agent !== null || versions.firmware !== null) all.set(JSON.stringify(versions), versions);
  return all.size ? [...all.values()] : null;
}

/** What of a row's devices shows, to compare before and after a change. */
export const devicesShown = (devices: Map<string, DeviceOnRow> | null) =>
  JSON.stringify([onlineOf(devices), warningsOf(devices), versionsOf(devices), panelUnpluggedOf(devices)]);

/** The row's device columns. */
export function deviceFields(
  devices: Map<string, DeviceOnRow> | null,
): Pick<Row, 'online' | 'panelUnplugged' | 'deviceWarnings' | 'deviceVersions'> {
  return {
    online: onlineOf(devices),
    panelUnplugged: panelUnpluggedOf(devices),
    deviceWarnings: warningsOf(devices),
    deviceVersions: versionsOf(devices),
  };
}
