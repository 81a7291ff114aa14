// The device feature: what IT sees and sends. The retained device state (birth, and again whenever
// the panel or the config changes), device configs (decided in device-settings.ts, acknowledged either
// way) and device commands (commands.ts).

import { type Feature, listening } from '../../../events/feature.js';
import { type DeviceConfig, topicFor } from '../../../protocol/index.js';
import { commandOutcome, commandResult, type DeviceCommand } from '../commands.js';
import { type AgentContext, deviceState } from '../context.js';
import {
  configAck,
  decideConfig,
  deskSubscriptions,
  layoutFit,
  rejectedConfigVersion,
} from '../device-settings.js';

export function deviceFeature(ctx: AgentContext, onRestart: (() => void) | undefined): Feature {
  const { org, deviceId } = ctx.config;
  const { desk, session, sync, log } = ctx;
  const ack = (version: number, ok: boolean, reason?: string) =>
    void session.send(configAck(org, deviceId, ctx.now(), version, ok, reason));

  const applyConfig = (cfg: DeviceConfig) => {
    const decision = decideConfig(cfg, desk.settings, desk.description, ctx.policy());
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
    desk.settings = decision.settings;
    desk.lastConfig = cfg;
    if (decision.extChanged) sync.forget();
    ctx.heard.follow(desk.settings, decision.extChanged);
    ctx.bus.emit('persist', undefined);
    session.setFilters(deskSubscriptions(org, deviceId, desk.settings));
    ack(cfg.version, true);
    void session.send(deviceState(ctx, true));
    if (decision.extChanged) sync.awaitBroker();
    ctx.changed();
  };

  const runCommand = (cmd: DeviceCommand) => {
    const inventory = {
      ...ctx.facts(),
      driver: ctx.config.driver.type,
      rejections: session.rejections.total,
      panelFaults: desk.panelFaults,
      updateFailures: desk.updateFailures,
    };
    const outcome = commandOutcome(cmd, inventory, Boolean(onRestart));
    if (outcome.identifyMs !== undefined) {
      ctx.lamps.identify(ctx.clock.now() + outcome.identifyMs);
      ctx.changed();
    }
    void session.send(commandResult(org, deviceId, ctx.now(), cmd, outcome));
    if (outcome.restart) onRestart?.();
  };

  return listening(ctx.bus, {
    subscribed: () => void session.send(deviceState(ctx, true)),
    'device-config': ({ message }) => {
      if (message.deviceId === deviceId && message.body) applyConfig(message.body);
      ctx.changed();
    },
    'device-cmd': ({ message }) => {
      if (message.deviceId === deviceId) runCommand(message.body);
      ctx.changed();
    },
    rejected: ({ topic, payload, detail }) => {
      // Refuse a bad config visibly to IT too, with the version when the payload has one.
      if (topic === topicFor({ kind: 'device-config', org, deviceId }) && payload.length > 0) {
        ack(rejectedConfigVersion(payload), false, detail);
      }
    },
    panelConnection: ({ connected }) => {
      const misfit = connected ? layoutFit(desk.settings.layout, desk.description) : [];
      // never a silent drop: the lamps and keys this panel lacks go to the log and the device state
      if (misfit.length > 0)
        log.warn('layout does not fit the panel', { panel: desk.description?.model, misfit });
      if (session.connected) void session.send(deviceState(ctx, true));
    },
  });
}
