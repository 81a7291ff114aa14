// The desk agent, wired: panel events → gesture → action → pure state transition → journal → publish, and
// broker → adopt / mwi / queues / policy → pure LED render → panel. The decisions live in pure functions
// (../domain, device-settings, commands, presence-sync, restore); this module holds the desk's state and the I/O.
import type { KeyEvent, KeyFace, KeyPanel, LedFrame, PanelDescription } from '../../hardware/port.js';
import { createLogger, type Logger } from '../../log/logger.js';
import { readTlsFiles } from '../../mqtt/client.js';
import {
  type Actor,
  type DeviceConfig,
  decode,
  encode,
  type Presence,
  RejectionCounter,
  topicFor,
} from '../../protocol/index.js';
import { type Clock, systemClock } from '../../rules/clock.js';
import { actionForKey } from '../../rules/keys.js';
import { type LedInputs, nextFrameChange, render } from '../../rules/leds.js';
import { messageToHandle } from '../../rules/messages.js';
import {
  applyAction,
  type DeskAction,
  type DeskContext,
  initialPresence,
  nextWake,
  onTime,
} from '../../rules/referral.js';
import { BrokerInputs } from './broker-inputs.js';
import { commandOutcome, commandResult, type DeviceCommand } from './commands.js';
import type { AgentConfig } from './config.js';
import {
  configAck,
  decideConfig,
  deskSubscriptions,
  layoutFit,
  rejectedConfigVersion,
  settingsFromFile,
} from './device-settings.js';
import { type DeviceFacts, deviceStateMessage, deviceWill } from './device-state.js';
import { keyFaces, sameFaces } from './faces.js';
import { readJournal, writeJournal } from './journal.js';
import { KeyInput } from './key-input.js';
import { Lamps } from './lamps.js';
import { Link, type LinkStatus } from './link.js';
import { PresenceSync } from './presence-sync.js';
import { deskStart } from './restore.js';
import { WakeTimer, wakeDelay } from './wake.js';

// The agent's public surface stays here; these moved into their own modules.
export { type Clock, systemClock } from '../../rules/clock.js';
export { configProblems } from './device-settings.js';
export { AGENT_VERSION } from './device-state.js';

export interface AgentOptions {
  panel: KeyPanel;
  clock?: Clock;
  log?: Logger;
  /** how long to wait after subscribing for the broker's retained presence before deciding it has none */
  settleMs?: number;
  /** the `restart` command; without it the command is refused */
  onRestart?: () => void;
}

export interface Agent {
  /** undefined only while the state is unknown (corrupt journal, broker not yet seen) */
  readonly presence: Presence | undefined;
  /** true until the broker acknowledged the current presence */
  readonly pending: boolean;
  readonly frame: LedFrame;
  readonly link: LinkStatus;
  /** connected, and the broker's presence for this desk is known (seen, or absent after the settle window) */
  readonly synced: boolean;
  readonly rejections: RejectionCounter;
  /** faults the panel driver reported (bad bytes, a bad report, a lost device) */
  readonly panelFaults: number;
  readonly configVersion: number;
  stop(): Promise<void>;
}

export async function startAgent(config: AgentConfig, options: AgentOptions): Promise<Agent> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(`agent ${config.deviceId}`);
  const rejections = new RejectionCounter(log);
  const actor: Actor = { kind: 'desk', id: config.deviceId };
  const { org, deviceId } = config;
  const panel = options.panel;
  const now = () => new Date(clock.now());

  const journal = readJournal(config.journalPath);
  if (journal.kind === 'corrupt') {
    log.error('journal unreadable: publishing nothing until the broker has shown its presence', {
      error: journal.error,
    });
  }
  const start = deskStart(journal, settingsFromFile(config));
  let { settings, lastConfig } = start;

  const heard = new BrokerInputs(config.timeZone);
  const policy = () => heard.policy();
  let description: PanelDescription | undefined;
  let panelConnected = false;
  const lamps = new Lamps(panel);
  let stopped = false;
  let panelFaults = 0;

  const ctx = (): DeskContext => ({
    now: now(),
    policy: policy(),
    actor,
    ...(settings.forwardTo ? { forwardTo: settings.forwardTo } : {}),
  });

  const saveJournal = () => {
    try {
      writeJournal(config.journalPath, {
        v: 1,
        ext: settings.ext,
        presence: sync.presence ?? null,
        pending: sync.pending,
        ...(lastConfig ? { deviceConfig: lastConfig } : {}),
      });
    } catch (e) {
      // The desk keeps working from memory; the next change tries again.
      log.error('journal write failed', { error: (e as Error).message });
    }
  };

  const sync = new PresenceSync(
    {
      clock,
      settleMs: options.settleMs ?? 500,
      connected: () => link.connected,
      send: (p) => link.publish(encode({ kind: 'presence', org, ext: settings.ext, body: p })),
      initial: () => initialPresence(now(), actor),
      save: saveJournal,
      changed: () => refresh(),
    },
    start.sync,
  );

  // --- LEDs and the one timer -------------------------------------------------------------------
  const ledInputs = (): LedInputs => {
    const presence = sync.presence;
    return {
      presence: presence ?? initialPresence(now(), actor),
      mwi: heard.mwi,
      voicemail: heard.voicemail,
      queues: heard.queues,
      link: link.status,
      now: now(),
      policy: policy(),
      // With the state unknown, no lamp may claim "available".
      layout: presence
        ? settings.layout.leds
        : settings.layout.leds.filter((l) => l.role.type !== 'available'),
      ledCount: description?.leds ?? Math.max(0, ...settings.layout.leds.map((l) => l.led + 1)),
    };
  };

  let faces: KeyFace[] = [];
  /** key captions and return times, for panels whose keys are displays */
  const showFaces = () => {
    if (!panel.label) return;
    const p = policy();
    const next = keyFaces(settings.layout, sync.presence, p.reasons, p.timeZone);
    if (sameFaces(next, faces)) return;
    faces = next;
    panel.label(next);
  };

  let panelLongPressMs: number | undefined;
  const refresh = () => {
    if (stopped) return;
    // a panel that times its own long presses follows the organisation's setting, as the agent does
    const { longPressMs: orgLongPressMs } = policy();
    if (orgLongPressMs !== panelLongPressMs) {
      panelLongPressMs = orgLongPressMs;
      panel.configure?.({ longPressMs: orgLongPressMs });
    }
    const t = clock.now();
    const inputs = ledInputs();
    lamps.show(render(inputs), t);
    showFaces();
    const presence = sync.presence;
    wake.arm(
      wakeDelay(t, [
        presence ? nextWake(presence, ctx())?.getTime() : undefined,
        nextFrameChange(inputs)?.getTime(),
        keys.wakeAtMs,
        lamps.nextChange(t),
      ]),
    );
  };

  const onTimer = () => {
    if (stopped) return;
    const t = clock.now();
    lamps.tick(t);
    keys.feed({ type: 'tick' }, t, longPressMs());
    const presence = sync.presence;
    if (presence) sync.set(onTime(presence, ctx()));
    refresh();
  };
  const wake = new WakeTimer(clock, onTimer);

  // --- keys ------------------------------------------------------------------------------------
  const longPressMs = () => (description?.reportsLongPress ? Number.POSITIVE_INFINITY : policy().longPressMs);

  const keys = new KeyInput((key, long) => {
    const action = actionForKey(settings.layout, key, long);
    if (action) perform(action);
  });

  const perform = (action: DeskAction) => {
    if (action.type === 'message-handled') {
      const message = messageToHandle(heard.mwi, policy());
      if (message && link.connected) {
        const body = { v: 1 as const, id: message.id, by: actor, at: now().toISOString() };
        void link.publish(encode({ kind: 'mwi-handled', org, ext: settings.ext, body }));
      }
      return;
    }
    // Unknown state (corrupt journal, broker unseen): a press is still the person's intent; start from available.
    const presence = sync.presence;
    const base = presence ?? initialPresence(now(), actor);
    const next = applyAction(base, action, ctx());
    if (next !== base || !presence) sync.set(next);
  };

  const onKey = (event: KeyEvent) => {
    if (stopped) return;
    keys.feed(event, clock.now(), longPressMs());
    refresh();
  };

  // --- device state, config and commands ------------------------------------------------------------
  const facts = (): DeviceFacts => ({
    ext: settings.ext,
    configVersion: settings.version,
    panel: description,
    panelConnected,
    warnings: layoutFit(settings.layout, description),
  });
  const deviceState = (online: boolean) => deviceStateMessage(org, deviceId, now(), online, facts());
  const ack = (version: number, ok: boolean, reason?: string) =>
    void link.publish(configAck(org, deviceId, now(), version, ok, reason));

  const applyConfig = (cfg: DeviceConfig) => {
    const decision = decideConfig(cfg, settings, description, policy());
    switch (decision.kind) {
      case 'already-applied':
        return;
      case 'stale':
        ack(cfg.version, false, decision.reason);
        return;
      case 'invalid':
        log.warn('device config refused', { version: cfg.version, problems: decision.problems });
        ack(cfg.version, false, decision.problems.join('; '));
        return;
    }
    settings = decision.settings;
    lastConfig = cfg;
    if (decision.extChanged) sync.forget();
    heard.follow(settings, decision.extChanged);
    saveJournal();
    link.resubscribe(deskSubscriptions(org, deviceId, settings));
    ack(cfg.version, true);
    void link.publish(deviceState(true));
    if (decision.extChanged) sync.awaitBroker();
    refresh();
  };

  const runCommand = (cmd: DeviceCommand) => {
    const inventory = { ...facts(), driver: config.driver.type, rejections: rejections.total, panelFaults };
    const outcome = commandOutcome(cmd, inventory, Boolean(options.onRestart));
    if (outcome.identifyMs !== undefined) {
      lamps.identify(clock.now() + outcome.identifyMs);
      refresh();
    }
    void link.publish(commandResult(org, deviceId, now(), cmd, outcome));
    if (outcome.restart) options.onRestart?.();
  };

  // --- incoming ----------------------------------------------------------------------------------
  const onMessage = (topic: string, payload: Buffer) => {
    if (stopped) return;
    const decoded = decode(topic, payload);
    if (!decoded.ok) {
      rejections.record(decoded);
      // Refuse a bad config visibly to IT too, with the version when the payload has one.
      if (topic === topicFor({ kind: 'device-config', org, deviceId }) && payload.length > 0) {
        ack(rejectedConfigVersion(payload), false, decoded.detail);
      }
      return;
    }
    const m = decoded.message;
    switch (m.kind) {
      case 'presence':
        if (m.ext !== settings.ext) return;
        sync.heard(m.body);
        break;
      case 'mwi':
      case 'mwi-message':
      case 'voicemail':
      case 'queue':
      case 'directory-org':
        if (!heard.take(m, settings)) return;
        break;
      case 'device-config':
        if (m.deviceId === deviceId && m.body) applyConfig(m.body);
        break;
      case 'device-cmd':
        if (m.deviceId === deviceId) runCommand(m.body);
        break;
      default:
        return;
    }
    refresh();
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
      subscriptions: deskSubscriptions(org, deviceId, settings),
      log,
    },
    {
      status: (status) => {
        if (status !== 'online') sync.lost();
        refresh();
      },
      ready: () => {
        void link.publish(deviceState(true));
        if (!sync.settled) sync.awaitBroker();
      },
      message: onMessage,
    },
  );

  await panel.open({
    key: onKey,
    connection: (connected, desc) => {
      panelConnected = connected;
      if (desc) description = desc;
      const misfit = connected ? layoutFit(settings.layout, description) : [];
      // never a silent drop: the lamps and keys this panel lacks go to the log and the device state
      if (misfit.length > 0) log.warn('layout does not fit the panel', { panel: description?.model, misfit });
      if (link.connected) void link.publish(deviceState(true));
      lamps.resend();
      faces = [];
      refresh();
    },
    fault: (error) => {
      panelFaults++;
      log.warn('panel fault', { error: error.message });
    },
  });
  refresh();

  return {
    get presence() {
      return sync.presence;
    },
    get pending() {
      return sync.pending;
    },
    get frame() {
      return lamps.frame;
    },
    get link() {
      return link.status;
    },
    get synced() {
      return sync.settled;
    },
    rejections,
    get panelFaults() {
      return panelFaults;
    },
    get configVersion() {
      return settings.version;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      wake.cancel();
      sync.stop();
      // An orderly stop says so itself and ends the session cleanly, so the broker drops the will.
      await link.close(deviceState(false));
      await panel.close();
    },
  };
}
