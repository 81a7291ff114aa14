// A reassignment changes only what IT gives and keeps the rest of the device's retained config: moving
// a desk to another extension must not silently drop its queues or forward-to. Pure.

import type { DeviceConfig, KeyLayout } from '../../protocol/index.js';
import { DEFAULT_LAYOUT } from '../../protocol/layouts.js';
import type { Checked } from './checked.js';
import type { DeviceStanding } from './fleet.js';

/** What IT changes on a device. Each field left undefined keeps the device's current config. */
export interface ConfigChange {
  ext?: string | undefined;
  /** a layout, or 'default' for the agent's default layout */
  layout?: KeyLayout | 'default' | undefined;
  /** null clears it */
  forwardTo?: string | null | undefined;
  /** [] clears them; a list replaces them */
  queues?: string[] | undefined;
}

/** The config to push and what it changed, for the report. */
export interface MergedConfig {
  config: DeviceConfig;
  /** e.g. "ext 4711 → 4712; queues kept: vaxel" */
  summary: string;
}

/**
 * The device's next config: its retained one (the last IT pushed, even if pending or refused) with the
 * change applied; without one, the agent's defaults. A first config needs an extension.
 */
export function mergeConfig(
  standing: DeviceStanding | undefined,
  change: ConfigChange,
  version: number,
): Checked<MergedConfig> {
  const before = standing?.config;
  const ext = change.ext ?? before?.ext;
  if (ext === undefined) return { ok: false, reason: 'no config pushed to it yet: give its extension' };
  const layout =
    change.layout === 'default' ? DEFAULT_LAYOUT : (change.layout ?? before?.layout ?? DEFAULT_LAYOUT);
  const forwardTo = change.forwardTo === null ? undefined : (change.forwardTo ?? before?.forwardTo);
  const config: DeviceConfig = {
    v: 1,
    version,
    ext,
    layout,
    ...(forwardTo !== undefined ? { forwardTo } : {}),
    queues: change.queues ?? before?.queues ?? [],
  };
  const ack = standing?.ack;
  // A refused config is still the base: IT sees the refusal again and fixes what the desk named.
  const refused = before && ack && !ack.ok && ack.version === before.version;
  const summary =
    describeChange(before, config) +
    (refused ? `; based on config ${before.version}, which the device refused` : '');
  return { ok: true, value: { config, summary } };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const list = (queues: string[]) => (queues.length ? queues.join(' ') : 'none');

/** What a config changes against the one before: changed fields with old → new, kept settings named. */
export function describeChange(before: DeviceConfig | undefined, after: DeviceConfig): string {
  if (!before) return `ext ${after.ext}`;
  const parts = [before.ext === after.ext ? `ext ${after.ext}` : `ext ${before.ext} → ${after.ext}`];
  if (!same(before.layout, after.layout))
    parts.push(same(after.layout, DEFAULT_LAYOUT) ? 'layout → default' : 'layout replaced');
  else if (!same(after.layout, DEFAULT_LAYOUT)) parts.push('layout kept');
  if (before.forwardTo !== after.forwardTo)
    parts.push(`forward-to ${before.forwardTo ?? 'none'} → ${after.forwardTo ?? 'none'}`);
  else if (after.forwardTo !== undefined) parts.push(`forward-to kept: ${after.forwardTo}`);
  if (!same(before.queues, after.queues)) parts.push(`queues ${list(before.queues)} → ${list(after.queues)}`);
  else if (after.queues.length) parts.push(`queues kept: ${list(after.queues)}`);
  return parts.join('; ');
}
