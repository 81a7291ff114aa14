// The parts of a board row the model works out rather than copies (model.ts): what a person's desks
// show (online, warnings, versions), and the one-topic parts, a failing calendar and a busy line. Pure.
import type { CalendarStatus, LineState } from '../../protocol/index.js';
import type { Binding, DeviceVersions } from './device-bindings.js';
import type { LineOnRow, Row } from './row.js';

export type DeviceOnRow = Pick<Binding, 'online' | 'warnings' | 'versions'>;

export function onlineOf(devices: Map<string, DeviceOnRow> | null): boolean | null {
  if (!devices?.size) return null;
  for (const d of devices.values()) if (d.online) return true;
  return false;
}

/** Every distinct warning of the row's devices, or null: a device warns until it reports it fits. */
export function warningsOf(devices: Map<string, DeviceOnRow> | null): string[] | null {
  const all = new Set<string>();
  for (const d of devices?.values() ?? []) for (const w of d.warnings) all.add(w);
  return all.size ? [...all] : null;
}

/** The versions the row's devices report, each pair once, or null when none says any. */
export function versionsOf(devices: Map<string, DeviceOnRow> | null): DeviceVersions[] | null {
  const all = new Map<string, DeviceVersions>();
  for (const { versions } of devices?.values() ?? [])
    if (versions.agent !== null || versions.firmware !== null) all.set(JSON.stringify(versions), versions);
  return all.size ? [...all.values()] : null;
}

/** What of a row's devices shows, to compare before and after a change. */
export const devicesShown = (devices: Map<string, DeviceOnRow> | null) =>
  JSON.stringify([onlineOf(devices), warningsOf(devices), versionsOf(devices)]);

/** calendar/{ext}: only a failing feed shows; a working one (or none) is nothing to see. */
export const calendarOnRow = (body: CalendarStatus | null): Row['calendar'] =>
  body && !body.ok ? { error: body.error ?? '', lastGood: body.lastGood } : null;

/** line/{ext}: only a busy phone shows; idle (or a cleared topic) is nothing to see. */
export const lineOnRow = (body: LineState | null): LineOnRow | null =>
  body && body.state !== 'idle' ? { state: body.state, since: body.since } : null;
