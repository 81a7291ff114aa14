// The desk's link: a contract session (session/) with what only a desk has. A fixed client id (one
// connection per device: a second one drops the first), the will that says "offline" for it, a
// keep-alive that keeps the link LED's promise, and the desk's own subscriptions. It emits on the
// agent's bus, so the features hear the link, the broker and the panel in one order.

import { readTlsFiles } from '../../config/tls-files.js';
import type { EventBus } from '../../events/bus.js';
import type { Logger } from '../../log/logger.js';
import { ContractSession } from '../../session/contract-session.js';
import type { AgentConfig } from './config.js';
import type { AgentEvents } from './desk-events.js';
import { type DeskSettings, deskSubscriptions } from './device-settings.js';
import { deviceWill } from './device-state.js';

/**
 * mqtt.js declares a connection dead 1.5 keep-alives after the last packet from the broker, so the MQTT
 * keep-alive is half the configured one: a silent broker shows as offline within `keepaliveSeconds`.
 */
export function mqttKeepalive(keepaliveSeconds: number): number {
  return Math.max(1, Math.floor(keepaliveSeconds / 2));
}

export function deskSession(
  config: AgentConfig,
  settings: DeskSettings,
  bus: EventBus<AgentEvents>,
  log: Logger,
): ContractSession<AgentEvents> {
  const { org, deviceId, broker } = config;
  return new ContractSession({
    url: broker.url,
    clientId: `hanvisa-${org}-${deviceId}`,
    login: {
      username: broker.username,
      password: broker.password,
      tls: readTlsFiles({
        ca: broker.caFile,
        cert: broker.certFile,
        key: broker.keyFile,
        servername: broker.servername,
      }),
    },
    keepaliveSeconds: mqttKeepalive(broker.keepaliveSeconds),
    connectTimeoutMs: broker.keepaliveSeconds * 1000,
    will: deviceWill(org, deviceId),
    filters: deskSubscriptions(org, deviceId, settings),
    log,
    bus,
  });
}
