// The desk agent: a contract session (desk-session.ts) and a list of features (features/) on one
// typed bus (desk-events.ts), over a shared context (context.ts). Sources emit: the session (the
// link's ups and downs, each broker message decoded once, under its kind), the panel, the one timer.
// Features decide with pure functions (../../rules, device-settings, commands, presence-sync, restore)
// and act through the context's services.

import type { Feature } from '../../events/feature.js';
import type { KeyPanel, LedFrame } from '../../hardware/port.js';
import { createLogger, type Logger } from '../../log/logger.js';
import type { KeyLayout, Presence, ReasonDefinition, RejectionCounter } from '../../protocol/index.js';
import { type Clock, systemClock } from '../../rules/clock.js';
import type { LinkStatus } from '../../session/contract-session.js';
import type { AgentConfig } from './config.js';
import { type AgentContext, createContext, deviceState } from './context.js';
import { settingsFromFile } from './device-settings.js';
import { brokerInputsFeature } from './features/broker-inputs.js';
import { deviceFeature } from './features/device.js';
import { displayFeature } from './features/display.js';
import { journalFeature } from './features/journal.js';
import { keysFeature } from './features/keys.js';
import { messageHandledFeature } from './features/message-handled.js';
import { presenceFeature } from './features/presence.js';
import { updateFeature } from './features/update.js';
import { wakeFeature } from './features/wake.js';
import { readJournal } from './journal.js';
import { deskStart } from './restore.js';

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
  /** an agent update was staged: end the process, so that its supervisor starts the new release */
  onUpdated?: () => void;
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
  /** the key and LED layout in force: the config file's until IT pushes another */
  readonly layout: KeyLayout;
  /** the organisation's reasons in force (its settings, else the defaults): what the keys' captions name */
  readonly reasons: readonly ReasonDefinition[];
  /** Calls `listener` after every change of the desk's state (a pushed layout, settings, presence); returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  stop(): Promise<void>;
}

/**
 * The features, in the order they hear each event: the device state goes out before presence is
 * reconciled, lamps end identifying before a held key fires its long press, the display is drawn
 * before the timer is armed for its next change. A new feature is one entry here (docs/agent.md).
 */
function features(ctx: AgentContext, options: AgentOptions): Feature[] {
  return [
    journalFeature(ctx),
    brokerInputsFeature(ctx),
    deviceFeature(ctx, options.onRestart),
    updateFeature(ctx, options.onUpdated),
    displayFeature(ctx),
    keysFeature(ctx),
    messageHandledFeature(ctx),
    presenceFeature(ctx),
    wakeFeature(ctx),
  ];
}

export async function startAgent(config: AgentConfig, options: AgentOptions): Promise<Agent> {
  const log = options.log ?? createLogger(`agent ${config.deviceId}`);
  const journal = readJournal(config.journalPath);
  if (journal.kind === 'corrupt') {
    log.error('journal unreadable: publishing nothing until the broker has shown its presence', {
      error: journal.error,
    });
  }
  const ctx = createContext({
    config,
    clock: options.clock ?? systemClock,
    log,
    panel: options.panel,
    settleMs: options.settleMs ?? 500,
    start: deskStart(journal, settingsFromFile(config)),
  });
  const { bus, desk, panel, sync, lamps, session } = ctx;
  // the features start before the first connect, so every one of them hears the first message
  await session.start(features(ctx, options));

  await panel.open({
    key: (event) => {
      if (!desk.stopped) bus.emit('keyEvent', event);
    },
    connection: (connected, description) => {
      desk.panelConnected = connected;
      if (description) desk.description = description;
      bus.emit('panelConnection', { connected });
      ctx.changed();
    },
    fault: (error) => {
      desk.panelFaults++;
      log.warn('panel fault', { error: error.message });
    },
  });
  ctx.changed();

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
      return session.status;
    },
    get synced() {
      return sync.settled;
    },
    rejections: session.rejections,
    get panelFaults() {
      return desk.panelFaults;
    },
    get configVersion() {
      return desk.settings.version;
    },
    get layout() {
      return desk.settings.layout;
    },
    get reasons() {
      return ctx.policy().reasons;
    },
    onChange: (listener) => bus.on('changed', listener),
    async stop() {
      if (desk.stopped) return;
      desk.stopped = true;
      // The features stop, then an orderly stop says so itself and ends the session cleanly, so the
      // broker drops the will.
      await session.close(deviceState(ctx, false));
      await panel.close();
    },
  };
}
