// The desk agent: panel events → gesture → action → pure state transition → journal → publish, and
// broker → adopt / mwi / queues / policy → pure LED render → panel. One timer, armed at the next
// instant anything changes by time alone; nothing polls while the desk is idle.
import type { KeyEvent, KeyPanel, LedFrame, PanelDescription } from '../../hardware/port.js';
import {
  type Actor,
  createLogger,
  type DeviceConfig,
  type DeviceState,
  decode,
  type Encoded,
  encode,
  findReason,
  type Logger,
  type Message,
  type Mwi,
  type OrgInfo,
  type Presence,
  type Queue,
  RejectionCounter,
  topicFor,
} from '../../protocol/index.js';
import { actionForKey, type GestureState, gesture, NO_GESTURE } from '../domain/keys.js';
import { type LedInputs, nextFrameChange, render } from '../domain/leds.js';
import { messageToHandle } from '../domain/messages.js';
import { DEFAULT_POLICY, type OrgPolicy, policyFromOrg } from '../domain/policy.js';
import {
  applyAction,
  comparePresence,
  type DeskAction,
  type DeskContext,
  initialPresence,
  nextWake,
  onTime,
} from '../domain/referral.js';
import type { AgentConfig } from './config.js';
import { readJournal, writeJournal } from './journal.js';
import { Link, type LinkStatus } from './link.js';

export const AGENT_VERSION = '0.1.0';

/** Time and timers, injectable so tests run on a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

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

/** What IT may change over MQTT; starts from the config file (version 0). */
interface DeskSettings {
  version: number;
  ext: string;
  layout: AgentConfig['layout'];
  forwardTo?: string | undefined;
  queues: string[];
}

/** Why a device config cannot be applied to this panel under this policy; empty when it can. */
export function configProblems(
  cfg: DeviceConfig,
  panel: PanelDescription | undefined,
  policy: OrgPolicy,
): string[] {
  const problems: string[] = [];
  for (const { key, action } of cfg.layout.keys) {
    if (panel && key >= panel.keys)
      problems.push(`layout.keys: key ${key} is not on this panel (${panel.keys} keys)`);
    if (action.type === 'reason' && !findReason(action.reason, policy.reasons))
      problems.push(`layout.keys: key ${key}: unknown reason "${action.reason}"`);
    if (action.type === 'alt-forward' && !cfg.forwardTo)
      problems.push(`layout.keys: key ${key} forwards but forwardTo is not set`);
  }
  for (const { led, role } of cfg.layout.leds) {
    if (panel && led >= panel.leds)
      problems.push(`layout.leds: LED ${led} is not on this panel (${panel.leds} LEDs)`);
    if (role.type === 'reason' && !findReason(role.reason, policy.reasons))
      problems.push(`layout.leds: LED ${led}: unknown reason "${role.reason}"`);
  }
  return problems;
}

/** The queues a desk follows: those it is configured for and those its LEDs show. */
function watchedQueues(settings: DeskSettings): string[] {
  const fromLeds = settings.layout.leds.flatMap((l) => (l.role.type === 'queue' ? [l.role.queue] : []));
  return [...new Set([...settings.queues, ...fromLeds])];
}

function sameFrame(a: LedFrame, b: LedFrame): boolean {
  return a.length === b.length && a.every((l, i) => l.pattern === b[i]?.pattern && l.color === b[i]?.color);
}

export async function startAgent(config: AgentConfig, options: AgentOptions): Promise<Agent> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(`agent ${config.deviceId}`);
  const rejections = new RejectionCounter(log);
  const settleMs = options.settleMs ?? 500;
  const actor: Actor = { kind: 'desk', id: config.deviceId };
  const { org, deviceId } = config;
  const panel = options.panel;
  const now = () => new Date(clock.now());

  let settings: DeskSettings = {
    version: 0,
    ext: config.ext,
    layout: config.layout,
    forwardTo: config.forwardTo,
    queues: config.queues,
  };
  let presence: Presence | undefined;
  let pending = false;
  // A fresh desk may announce itself available; after a corrupt journal we know nothing and say nothing.
  let mayAssumeAvailable = true;

  const journal = readJournal(config.journalPath);
  if (journal.kind === 'ok') {
    // IT's last config beats the file's: it is newer (to re-provision by hand, delete the journal).
    const dc = journal.entry.deviceConfig;
    if (dc) {
      settings = {
        version: dc.version,
        ext: dc.ext,
        layout: dc.layout,
        forwardTo: dc.forwardTo,
        queues: dc.queues,
      };
    }
    if (journal.entry.ext === settings.ext && journal.entry.presence) {
      presence = journal.entry.presence;
      pending = journal.entry.pending;
    }
  } else if (journal.kind === 'corrupt') {
    mayAssumeAvailable = false;
    log.error('journal unreadable: publishing nothing until the broker has shown its presence', {
      error: journal.error,
    });
  }
  let lastConfig: DeviceConfig | undefined = journal.kind === 'ok' ? journal.entry.deviceConfig : undefined;

  let orgInfo: OrgInfo | null = null;
  let mwi: Mwi | null = null;
  const queues = new Map<string, Queue>();
  let description: PanelDescription | undefined;
  let panelConnected = false;
  let gestureState: GestureState = NO_GESTURE;
  let gestureWake: number | undefined;
  let identifyUntil: number | undefined;
  let frame: LedFrame = [];
  let timer: unknown;
  let settleTimer: unknown;
  let stopped = false;
  let panelFaults = 0;

  // The broker's side of this session: undefined until seen (or settled), null when it has none.
  let brokerPresence: Presence | null | undefined;
  let settled = false;
  let inFlight: Presence | undefined;

  const policy = (): OrgPolicy => {
    const p = policyFromOrg(orgInfo, DEFAULT_POLICY);
    return config.timeZone ? { ...p, timeZone: config.timeZone } : p;
  };
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
        presence: presence ?? null,
        pending,
        ...(lastConfig ? { deviceConfig: lastConfig } : {}),
      });
    } catch (e) {
      // The desk keeps working from memory; the next change tries again.
      log.error('journal write failed', { error: (e as Error).message });
    }
  };

  // --- LEDs and the one timer -------------------------------------------------------------------
  const ledInputs = (): LedInputs => ({
    presence: presence ?? initialPresence(now(), actor),
    mwi,
    queues,
    link: link.status,
    now: now(),
    policy: policy(),
    // With the state unknown, no lamp may claim "available".
    layout: presence ? settings.layout.leds : settings.layout.leds.filter((l) => l.role.type !== 'available'),
    ledCount: description?.leds ?? Math.max(0, ...settings.layout.leds.map((l) => l.led + 1)),
  });

  const refresh = () => {
    if (stopped) return;
    const t = clock.now();
    const inputs = ledInputs();
    let next = render(inputs);
    if (identifyUntil !== undefined && t < identifyUntil) {
      next = next.map(() => ({ pattern: 'fast' as const, color: 'white' as const }));
    }
    if (!sameFrame(next, frame)) {
      frame = next;
      panel.show(frame);
    }
    const candidates = [
      presence ? nextWake(presence, ctx())?.getTime() : undefined,
      nextFrameChange(inputs)?.getTime(),
      gestureWake,
      identifyUntil !== undefined && identifyUntil > t ? identifyUntil : undefined,
    ].filter((x): x is number => x !== undefined);
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    if (candidates.length > 0) {
      timer = clock.setTimeout(onTimer, Math.max(0, Math.min(...candidates) - t));
    }
  };

  const onTimer = () => {
    timer = undefined;
    if (stopped) return;
    const t = clock.now();
    if (identifyUntil !== undefined && t >= identifyUntil) identifyUntil = undefined;
    const g = gesture(gestureState, { type: 'tick' }, t, longPressMs());
    gestureState = g.state;
    gestureWake = g.wakeAtMs;
    for (const f of g.fired) fire(f.key, f.long);
    if (presence) setPresence(onTime(presence, ctx()));
    refresh();
  };

  // --- presence: local changes, publishing, reconciling with the broker ---------------------------
  const presenceTopic = () => topicFor({ kind: 'presence', org, ext: settings.ext });

  const publishPresence = () => {
    if (!presence || !settled || !link.connected) return;
    const sent = presence;
    inFlight = sent;
    const ext = settings.ext;
    void link.publish(encode({ kind: 'presence', org, ext, body: sent })).then((ok) => {
      if (inFlight === sent) inFlight = undefined;
      if (ok && presence === sent && pending) {
        pending = false;
        saveJournal();
      }
    });
  };

  const setPresence = (next: Presence) => {
    if (next === presence) return;
    presence = next;
    pending = true;
    saveJournal();
    publishPresence();
  };

  /** After the broker's view is known: take a newer presence from it, or heal it with ours. */
  const reconcile = () => {
    if (!settled) return;
    const remote = brokerPresence ?? null;
    if (!presence) {
      if (remote) {
        presence = remote;
        pending = false;
        saveJournal();
      } else if (mayAssumeAvailable) {
        setPresence(initialPresence(now(), actor));
      }
      refresh();
      return;
    }
    if (remote && comparePresence(remote, presence) > 0) {
      presence = remote;
      pending = false;
      saveJournal();
      refresh();
      return;
    }
    const brokerBehind = !remote || comparePresence(presence, remote) > 0;
    if (brokerBehind && inFlight !== presence) publishPresence();
    else if (!brokerBehind && pending) {
      pending = false;
      saveJournal();
    }
  };

  const settle = () => {
    if (settleTimer !== undefined) clock.clearTimeout(settleTimer);
    settleTimer = undefined;
    if (settled) return;
    settled = true;
    reconcile();
  };

  // --- keys ------------------------------------------------------------------------------------
  const longPressMs = () => (description?.reportsLongPress ? Number.POSITIVE_INFINITY : policy().longPressMs);

  const fire = (key: number, long: boolean) => {
    const action = actionForKey(settings.layout, key, long);
    if (action) perform(action);
  };

  const perform = (action: DeskAction) => {
    if (action.type === 'message-handled') {
      const message = messageToHandle(mwi, policy());
      if (message && link.connected) {
        void link.publish(
          encode({
            kind: 'mwi-handled',
            org,
            ext: settings.ext,
            body: { v: 1, id: message.id, by: actor, at: now().toISOString() },
          }),
        );
      }
      return;
    }
    // Unknown state (corrupt journal, broker unseen): a press is still the person's intent; start from available.
    const base = presence ?? initialPresence(now(), actor);
    const next = applyAction(base, action, ctx());
    if (next !== base || !presence) setPresence(next);
  };

  const onKey = (event: KeyEvent) => {
    if (stopped) return;
    const g = gesture(gestureState, event, clock.now(), longPressMs());
    gestureState = g.state;
    gestureWake = g.wakeAtMs;
    for (const f of g.fired) fire(f.key, f.long);
    refresh();
  };

  // --- device state, config and commands ------------------------------------------------------------
  const deviceState = (online: boolean): Encoded => {
    const body: DeviceState = { v: 1, online, at: now().toISOString(), ext: settings.ext };
    if (online) {
      body.agent = AGENT_VERSION;
      body.configVersion = settings.version;
      body.panelConnected = panelConnected;
      if (description) {
        body.panel = {
          hardwareId: description.hardwareId,
          model: description.model,
          keys: description.keys,
          leds: description.leds,
          ...(description.firmware ? { firmware: description.firmware } : {}),
        };
      }
    }
    return encode({ kind: 'device-state', org, deviceId, body });
  };

  const ack = (version: number, ok: boolean, reason?: string) => {
    void link.publish(
      encode({
        kind: 'device-config-ack',
        org,
        deviceId,
        body: {
          v: 1,
          version,
          ok,
          at: now().toISOString(),
          ...(reason ? { reason: reason.slice(0, 500) } : {}),
        },
      }),
    );
  };

  const subscriptions = () => [
    presenceTopic(),
    topicFor({ kind: 'mwi', org, ext: settings.ext }),
    ...watchedQueues(settings).map((queueId) => topicFor({ kind: 'queue', org, queueId })),
    topicFor({ kind: 'directory-org', org }),
    topicFor({ kind: 'device-config', org, deviceId }),
    topicFor({ kind: 'device-cmd', org, deviceId }),
  ];

  const applyConfig = (cfg: DeviceConfig) => {
    if (cfg.version === settings.version) return; // the retained config again, already applied and acked
    if (cfg.version < settings.version) {
      ack(cfg.version, false, `version ${cfg.version} is older than the applied version ${settings.version}`);
      return;
    }
    const problems = configProblems(cfg, description, policy());
    if (problems.length > 0) {
      log.warn('device config refused', { version: cfg.version, problems });
      ack(cfg.version, false, problems.join('; '));
      return;
    }
    const extChanged = cfg.ext !== settings.ext;
    settings = {
      version: cfg.version,
      ext: cfg.ext,
      layout: cfg.layout,
      forwardTo: cfg.forwardTo,
      queues: cfg.queues,
    };
    lastConfig = cfg;
    if (extChanged) {
      // Another person's presence: ours is not theirs. Learn theirs from the broker before showing any.
      presence = undefined;
      pending = false;
      mayAssumeAvailable = true;
      mwi = null;
      brokerPresence = undefined;
      settled = false;
    }
    for (const id of [...queues.keys()]) if (!watchedQueues(settings).includes(id)) queues.delete(id);
    saveJournal();
    link.resubscribe(subscriptions());
    ack(cfg.version, true);
    void link.publish(deviceState(true));
    if (extChanged) settleTimer = clock.setTimeout(settle, settleMs);
    refresh();
  };

  const onConfigRejected = (payload: Buffer, detail: string) => {
    // Refuse it visibly to IT too, with the version when the payload has one.
    let version = 0;
    try {
      const v = (JSON.parse(payload.toString('utf8')) as { version?: unknown }).version;
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0) version = v;
    } catch {
      // not JSON: version 0
    }
    ack(version, false, detail);
  };

  const runCommand = (cmd: Message<'device-cmd'>['body']) => {
    const result = (ok: boolean, detail?: string) =>
      void link.publish(
        encode({
          kind: 'device-cmd-result',
          org,
          deviceId,
          body: { v: 1, id: cmd.id, ok, at: now().toISOString(), ...(detail ? { detail } : {}) },
        }),
      );
    switch (cmd.cmd) {
      case 'identify':
        identifyUntil = clock.now() + (cmd.seconds ?? 10) * 1000;
        refresh();
        result(true, `identifying for ${cmd.seconds ?? 10} s`);
        return;
      case 'inventory':
        result(
          true,
          JSON.stringify({
            agent: AGENT_VERSION,
            ext: settings.ext,
            configVersion: settings.version,
            panel: description ?? null,
            panelConnected,
            driver: config.driver.type,
            rejections: rejections.total,
            panelFaults,
          }),
        );
        return;
      case 'restart':
        if (!options.onRestart) {
          result(false, 'restart is not available in this runtime');
          return;
        }
        result(true, 'restarting');
        options.onRestart();
        return;
    }
  };

  // --- incoming ----------------------------------------------------------------------------------
  const onMessage = (topic: string, payload: Buffer) => {
    if (stopped) return;
    const decoded = decode(topic, payload);
    if (!decoded.ok) {
      rejections.record(decoded);
      if (topic === topicFor({ kind: 'device-config', org, deviceId }) && payload.length > 0) {
        onConfigRejected(payload, decoded.detail);
      }
      return;
    }
    const m = decoded.message;
    switch (m.kind) {
      case 'presence':
        if (m.ext !== settings.ext) return;
        brokerPresence = m.body;
        if (!settled) settle();
        else reconcile();
        break;
      case 'mwi':
        if (m.ext === settings.ext) mwi = m.body;
        break;
      case 'queue':
        if (!watchedQueues(settings).includes(m.queueId)) return;
        if (m.body) queues.set(m.queueId, m.body);
        else queues.delete(m.queueId);
        break;
      case 'directory-org':
        orgInfo = m.body;
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
      // No ext in the will: IT may reassign the desk while connected; the board keeps the birth's ext.
      will: encode({ kind: 'device-state', org, deviceId, body: { v: 1, online: false } }),
      subscriptions: subscriptions(),
      log,
    },
    {
      status: (status) => {
        if (status !== 'online') {
          settled = false;
          brokerPresence = undefined;
          inFlight = undefined;
          if (settleTimer !== undefined) clock.clearTimeout(settleTimer);
          settleTimer = undefined;
        }
        refresh();
      },
      ready: () => {
        void link.publish(deviceState(true));
        if (!settled) settleTimer = clock.setTimeout(settle, settleMs);
      },
      message: onMessage,
    },
  );

  await panel.open({
    key: onKey,
    connection: (connected, desc) => {
      panelConnected = connected;
      if (desc) description = desc;
      if (link.connected) void link.publish(deviceState(true));
      // A panel that comes back shows the truth at once (drivers also replay the last frame).
      frame = [];
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
      return presence;
    },
    get pending() {
      return pending;
    },
    get frame() {
      return frame;
    },
    get link() {
      return link.status;
    },
    get synced() {
      return settled;
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
      if (timer !== undefined) clock.clearTimeout(timer);
      if (settleTimer !== undefined) clock.clearTimeout(settleTimer);
      // An orderly stop says so itself and ends the session cleanly, so the broker drops the will.
      await link.close(deviceState(false));
      await panel.close();
    },
  };
}
