// What every extension of the agent shares: the bus, the desk's state (settings, the panel's
// description) and the services over it (broker link, presence sync, what the broker told us, lamps,
// the gesture recogniser). Built in data-flow order, each part from the ones before it; the sources
// (link, panel, timer) only emit on the bus, so nothing refers forward to a feature.
import { EventBus } from '../../events/bus.js';
import type { KeyPanel, PanelDescription } from '../../hardware/port.js';
import type { Logger } from '../../log/logger.js';
import { readTlsFiles } from '../../mqtt/client.js';
import { type Actor, type DeviceConfig, decode, encode, RejectionCounter } from '../../protocol/index.js';
import type { Clock } from '../../rules/clock.js';
import type { LedInputs } from '../../rules/leds.js';
import type { OrgPolicy } from '../../rules/policy.js';
import { type DeskContext, initialPresence } from '../../rules/referral.js';
import { BrokerInputs } from './broker-inputs.js';
import type { AgentConfig } from './config.js';
import { type DeskSettings, deskSubscriptions, layoutFit } from './device-settings.js';
import { type DeviceFacts, deviceStateMessage, deviceWill } from './device-state.js';
import type { AgentEvents } from './events.js';
import { KeyInput } from './key-input.js';
import { Lamps } from './lamps.js';
import { Link } from './link.js';
import { PresenceSync } from './presence-sync.js';
import type { DeskStart } from './restore.js';

/** The desk's own mutable state, one object so every extension sees the same values. */
export interface DeskState {
  settings: DeskSettings;
  /** the device config the settings came from, for the journal */
  lastConfig: DeviceConfig | undefined;
  description: PanelDescription | undefined;
  panelConnected: boolean;
  panelFaults: number;
  stopped: boolean;
}

export interface AgentContext {
  readonly config: AgentConfig;
  readonly clock: Clock;
  readonly log: Logger;
  readonly actor: Actor;
  readonly panel: KeyPanel;
  readonly bus: EventBus<AgentEvents>;
  readonly rejections: RejectionCounter;
  readonly desk: DeskState;
  readonly heard: BrokerInputs;
  readonly link: Link;
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
  const rejections = new RejectionCounter(log);
  const desk: DeskState = {
    settings: start.settings,
    lastConfig: start.lastConfig,
    description: undefined,
    panelConnected: false,
    panelFaults: 0,
    stopped: false,
  };
  const now = () => new Date(clock.now());
  const heard = new BrokerInputs(config.timeZone);
  const policy = () => heard.policy();
  const changed = () => {
    if (!desk.stopped) bus.emit('changed', undefined);
  };

  const link = new Link(
    {
      url: config.broker.url,
      clientId: `hanvisa-${org}-${deviceId}`,
      ...(config.broker.username ? { username: config.broker.username } : {}),
      ...(config.broker.password !== undefined ? { password: config.broker.password } : {}),
      keepaliveSeconds: config.broker.keepaliveSeconds,
      tls: readTlsFiles({
        ca: config.broker.caFile,
        cert: config.broker.certFile,
        key: config.broker.keyFile,
        servername: config.broker.servername,
      }),
      will: deviceWill(org, deviceId),
      subscriptions: deskSubscriptions(org, deviceId, desk.settings),
      log,
    },
    {
      status: (status) => bus.emit('linkStatus', status),
      ready: () => bus.emit('linkReady', undefined),
      message: (topic, payload) => {
        if (desk.stopped) return;
        // decoded once here; every extension hears the typed message
        const decoded = decode(topic, payload);
        if (decoded.ok) {
          bus.emit('brokerMessage', decoded.message);
          return;
        }
        rejections.record(decoded);
        bus.emit('brokerRejected', { topic, payload, detail: decoded.detail });
      },
    },
  );

  const sync = new PresenceSync(
    {
      clock,
      settleMs,
      connected: () => link.connected,
      send: (p) => link.publish(encode({ kind: 'presence', org, ext: desk.settings.ext, body: p })),
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

  const ledInputs = (): LedInputs => {
    const presence = sync.presence;
    const { leds } = desk.settings.layout;
    return {
      presence: presence ?? initialPresence(now(), actor),
      mwi: heard.mwi,
      voicemail: heard.voicemail,
      queues: heard.queues,
      link: link.status,
      now: now(),
      policy: policy(),
      // With the state unknown, no lamp may claim "available".
      layout: presence ? leds : leds.filter((l) => l.role.type !== 'available'),
      ledCount: desk.description?.leds ?? Math.max(0, ...leds.map((l) => l.led + 1)),
    };
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
    rejections,
    desk,
    heard,
    link,
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
