// What every feature of the agent shares: the bus, the desk's state (settings, the panel's
// description) and the services over it (the contract session, presence sync, what the broker told
// us, lamps, the gesture recogniser). Built in data-flow order, each part from the ones before it; the
// sources (session, panel, timer) only emit on the bus, so nothing refers forward to a feature.
import { EventBus } from '../../events/bus.js';
import type { KeyPanel, PanelDescription } from '../../hardware/port.js';
import type { Logger } from '../../log/logger.js';
import type { Actor, DeviceConfig } from '../../protocol/index.js';
import type { Clock } from '../../rules/clock.js';
import type { OrgPolicy } from '../../rules/policy.js';
import { type DeskContext, initialPresence } from '../../rules/referral.js';
import type { ContractSession } from '../../session/contract-session.js';
import type { LedInputs } from '../desk/leds.js';
import { BrokerInputs } from './broker-inputs.js';
import type { AgentConfig } from './config.js';
import type { AgentEvents } from './desk-events.js';
import { deskSession } from './desk-session.js';
import { type DeskSettings, layoutFit } from './device-settings.js';
import { type DeviceFacts, deviceStateMessage } from './device-state.js';
import { KeyInput } from './key-input.js';
import { Lamps } from './lamps.js';
import { PresenceSync } from './presence-sync.js';
import type { DeskStart } from './restore.js';

/** The desk's own mutable state, one object so every feature sees the same values. */
export interface DeskState {
  settings: DeskSettings;
  /** the device config the settings came from, for the journal */
  lastConfig: DeviceConfig | undefined;
  description: PanelDescription | undefined;
  panelConnected: boolean;
  panelFaults: number;
  /** agent updates refused or rolled back (features/update.ts) */
  updateFailures: number;
  stopped: boolean;
}

export interface AgentContext {
  readonly config: AgentConfig;
  readonly clock: Clock;
  readonly log: Logger;
  readonly actor: Actor;
  readonly panel: KeyPanel;
  readonly bus: EventBus<AgentEvents>;
  readonly desk: DeskState;
  readonly heard: BrokerInputs;
  /** the broker link: publishes (`send`, only while connected), subscriptions, status, refusals */
  readonly session: ContractSession<AgentEvents>;
  readonly sync: PresenceSync;
  readonly lamps: Lamps;
  readonly keys: KeyInput;
  now(): Date;
  policy(): OrgPolicy;
  /** the context the referral rules decide in */
  deskContext(): DeskContext;
  /** what the LED renderer needs, from the desk's current state */
  ledInputs(): LedInputs;
  /** the long-press threshold: none for a panel that reports long presses itself */
  longPressMs(): number;
  facts(): DeviceFacts;
  /** tells the lamps, faces and wake timer to follow, unless the agent has stopped */
  changed(): void;
}

export interface ContextOptions {
  config: AgentConfig;
  clock: Clock;
  log: Logger;
  panel: KeyPanel;
  settleMs: number;
  start: DeskStart;
}

export function createContext({ config, clock, log, panel, settleMs, start }: ContextOptions): AgentContext {
  const { org, deviceId } = config;
  const actor: Actor = { kind: 'desk', id: deviceId };
  const bus = new EventBus<AgentEvents>(log);
  const desk: DeskState = {
    settings: start.settings,
    lastConfig: start.lastConfig,
    description: undefined,
    panelConnected: false,
    panelFaults: 0,
    updateFailures: 0,
    stopped: false,
  };
  const now = () => new Date(clock.now());
  const heard = new BrokerInputs(config.timeZone);
  const policy = () => heard.policy();
  // The lamps and the wake timer both read the LED inputs on every change: they are gathered once per
  // `changed` (one instant for both), and afresh outside one.
  let changing = false;
  let view: LedInputs | undefined;
  const changed = () => {
    if (desk.stopped) return;
    view = undefined;
    if (changing) {
      bus.emit('changed', undefined);
      return;
    }
    changing = true;
    try {
      bus.emit('changed', undefined);
    } finally {
      changing = false;
      view = undefined;
    }
  };

  const session = deskSession(config, desk.settings, bus, log);

  const sync = new PresenceSync(
    {
      clock,
      settleMs,
      connected: () => session.connected,
      send: (p) => session.send({ kind: 'presence', org, ext: desk.settings.ext, body: p }),
      initial: () => initialPresence(now(), actor),
      save: () => bus.emit('persist', undefined),
      changed,
    },
    start.sync,
  );

  const deskContext = (): DeskContext => ({
    now: now(),
    policy: policy(),
    actor,
    ...(desk.settings.forwardTo ? { forwardTo: desk.settings.forwardTo } : {}),
  });

  const gatherLedInputs = (): LedInputs => {
    const presence = sync.presence;
    const { leds } = desk.settings.layout;
    return {
      presence: presence ?? initialPresence(now(), actor),
      mwi: heard.mwi,
      voicemail: heard.voicemail,
      voicemailSince: heard.voicemailSince,
      queues: heard.queues,
      lines: heard.lines,
      link: session.status,
      now: now(),
      policy: policy(),
      // With the state unknown, no lamp may claim "available".
      layout: presence ? leds : leds.filter((l) => l.role.type !== 'available'),
      ledCount: desk.description?.leds ?? Math.max(0, ...leds.map((l) => l.led + 1)),
    };
  };

  const ledInputs = (): LedInputs => {
    if (!changing) return gatherLedInputs();
    view ??= gatherLedInputs();
    return view;
  };

  const facts = (): DeviceFacts => ({
    ext: desk.settings.ext,
    configVersion: desk.settings.version,
    panel: desk.description,
    panelConnected: desk.panelConnected,
    warnings: layoutFit(desk.settings.layout, desk.description),
  });

  return {
    config,
    clock,
    log,
    actor,
    panel,
    bus,
    desk,
    heard,
    session,
    sync,
    lamps: new Lamps(panel),
    keys: new KeyInput((key, long) => bus.emit('keyFired', { key, long })),
    now,
    policy,
    deskContext,
    ledInputs,
    longPressMs: () => (desk.description?.reportsLongPress ? Number.POSITIVE_INFINITY : policy().longPressMs),
    facts,
    changed,
  };
}

/** The device's retained state message (online or the orderly offline one) from the current facts. */
export function deviceState(ctx: AgentContext, online: boolean) {
  return deviceStateMessage(ctx.config.org, ctx.config.deviceId, ctx.now(), online, ctx.facts());
}
