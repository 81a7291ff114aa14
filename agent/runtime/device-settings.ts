// What IT may change on a desk over MQTT (extension, key/LED layout, forwarding, queues): whether a
// device config can be applied here, what applying it means, and the ack IT sees either way.
import type { PanelDescription } from '../../hardware/port.js';
import {
  type DeviceConfig,
  type Encoded,
  encode,
  findReason,
  messagesFilter,
  topicFor,
} from '../../protocol/index.js';
import { forwardRefusal } from '../../rules/forward.js';
import type { OrgPolicy } from '../../rules/policy.js';
import type { AgentConfig } from './config.js';

/** What IT may change over MQTT; starts from the config file (version 0). Replaced whole, never changed in place. */
export interface DeskSettings {
  version: number;
  ext: string;
  layout: AgentConfig['layout'];
  forwardTo?: string | undefined;
  queues: string[];
}

export function settingsFromFile(config: AgentConfig): DeskSettings {
  return {
    version: 0,
    ext: config.ext,
    layout: config.layout,
    forwardTo: config.forwardTo,
    queues: config.queues,
  };
}

export function settingsFromDeviceConfig(cfg: DeviceConfig): DeskSettings {
  return {
    version: cfg.version,
    ext: cfg.ext,
    layout: cfg.layout,
    forwardTo: cfg.forwardTo,
    queues: cfg.queues,
  };
}

/** The keys and LEDs of a layout that this panel does not have: each would be silently dead. */
export function layoutFit(layout: AgentConfig['layout'], panel: PanelDescription | undefined): string[] {
  if (!panel) return [];
  return [
    ...layout.keys
      .filter(({ key }) => key >= panel.keys)
      .map(({ key }) => `layout.keys: key ${key} is not on this panel (${panel.keys} keys)`),
    ...layout.leds
      .filter(({ led }) => led >= panel.leds)
      .map(
        ({ led, role }) =>
          `layout.leds: LED ${led} is not on this panel (${panel.leds} LEDs): its ${role.type} lamp`,
      ),
  ];
}

/** Why a device config cannot be applied to this panel under this policy; empty when it can. */
export function configProblems(
  cfg: DeviceConfig,
  panel: PanelDescription | undefined,
  policy: OrgPolicy,
): string[] {
  const problems = layoutFit(cfg.layout, panel);
  // a forward that can never reach anyone is refused with the config, not found out by a caller
  const refused = cfg.forwardTo ? forwardRefusal(cfg.ext, cfg.forwardTo, policy.switchboard) : null;
  if (refused === 'own-extension') problems.push("forwardTo: the desk's own extension");
  if (refused === 'switchboard')
    problems.push("forwardTo: the switchboard's number, which the organisation refuses as a forward");
  for (const { key, action } of cfg.layout.keys) {
    if (action.type === 'reason' && !findReason(action.reason, policy.reasons))
      problems.push(`layout.keys: key ${key}: unknown reason "${action.reason}"`);
    if (action.type === 'alt-forward' && !cfg.forwardTo)
      problems.push(`layout.keys: key ${key} forwards but forwardTo is not set`);
  }
  for (const { led, role } of cfg.layout.leds) {
    if (role.type === 'reason' && !findReason(role.reason, policy.reasons))
      problems.push(`layout.leds: LED ${led}: unknown reason "${role.reason}"`);
  }
  return problems;
}

export type ConfigDecision =
  /** the retained config again, already applied and acked: nothing to do, nothing to say */
  | { kind: 'already-applied' }
  | { kind: 'stale'; reason: string }
  | { kind: 'invalid'; problems: string[] }
  | { kind: 'apply'; settings: DeskSettings; extChanged: boolean };

/** What to do with a device config IT sent, given what this desk runs now. */
export function decideConfig(
  cfg: DeviceConfig,
  current: DeskSettings,
  panel: PanelDescription | undefined,
  policy: OrgPolicy,
): ConfigDecision {
  if (cfg.version === current.version) return { kind: 'already-applied' };
  if (cfg.version < current.version)
    return {
      kind: 'stale',
      reason: `version ${cfg.version} is older than the applied version ${current.version}`,
    };
  const problems = configProblems(cfg, panel, policy);
  if (problems.length > 0) return { kind: 'invalid', problems };
  return { kind: 'apply', settings: settingsFromDeviceConfig(cfg), extChanged: cfg.ext !== current.ext };
}

/** What a desk follows besides its own extension: queues and colleagues' lines. */
export interface Followed {
  /** the queues it is configured for and those its LEDs show */
  queues: ReadonlySet<string>;
  /** the colleagues whose lines (line/{ext}) its LEDs show */
  lines: ReadonlySet<string>;
}

// Settings are replaced whole (settingsFromDeviceConfig), never changed in place, so what they follow
// is worked out once per settings object rather than on every queue or line message.
const followedBy = new WeakMap<DeskSettings, Followed>();

export function followed(settings: DeskSettings): Followed {
  let known = followedBy.get(settings);
  if (!known) {
    const { leds } = settings.layout;
    known = {
      queues: new Set([
        ...settings.queues,
        ...leds.flatMap((l) => (l.role.type === 'queue' ? [l.role.queue] : [])),
      ]),
      lines: new Set(leds.flatMap((l) => (l.role.type === 'line' ? [l.role.ext] : []))),
    };
    followedBy.set(settings, known);
  }
  return known;
}

/** Everything a desk with these settings listens to. */
export function deskSubscriptions(org: string, deviceId: string, settings: DeskSettings): string[] {
  const { queues, lines } = followed(settings);
  return [
    topicFor({ kind: 'presence', org, ext: settings.ext }),
    messagesFilter(org, settings.ext),
    topicFor({ kind: 'voicemail', org, ext: settings.ext }),
    ...Array.from(queues, (queueId) => topicFor({ kind: 'queue', org, queueId })),
    ...Array.from(lines, (ext) => topicFor({ kind: 'line', org, ext })),
    topicFor({ kind: 'directory-org', org }),
    topicFor({ kind: 'device-config', org, deviceId }),
    topicFor({ kind: 'device-cmd', org, deviceId }),
    topicFor({ kind: 'device-update', org, deviceId }),
  ];
}

export function configAck(
  org: string,
  deviceId: string,
  at: Date,
  version: number,
  ok: boolean,
  reason?: string,
): Encoded {
  return encode({
    kind: 'device-config-ack',
    org,
    deviceId,
    body: { v: 1, version, ok, at: at.toISOString(), ...(reason ? { reason: reason.slice(0, 500) } : {}) },
  });
}

/** The version a config that failed validation claims, so IT sees its refusal too; 0 when it has none. */
export function rejectedConfigVersion(payload: Buffer): number {
  try {
    const v = (JSON.parse(payload.toString('utf8')) as { version?: unknown }).version;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  } catch {
    // not JSON: version 0
  }
  return 0;
}
