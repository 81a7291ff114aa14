// The agent's MQTT link: mqtt.js over MQTT 3.1.1, clean session, TCP no-delay, a retained QoS 1 will.
// It publishes only while connected: whatever was changed offline is published once, as the latest
// state, by the agent on the next connect (mqtt.js's own offline queue would replay stale states).
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../log/logger.js';
import { createClient, reportConnectionErrors, type TlsSettings } from '../../mqtt/client.js';
import type { Encoded } from '../../protocol/index.js';

export type LinkStatus = 'connecting' | 'online' | 'offline';

export interface LinkOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  tls?: TlsSettings | undefined;
  /** the link reports offline within this many seconds of losing the broker */
  keepaliveSeconds: number;
  will: Encoded;
  /** filters subscribed (QoS 1) on every connect, before `ready` */
  subscriptions: string[];
  log: Logger;
  reconnectMs?: number;
}

export interface LinkHandlers {
  status(status: LinkStatus): void;
  /** connected and subscribed: the moment to publish birth and what the agent is the authority for */
  ready(): void;
  message(topic: string, payload: Buffer, retained: boolean): void;
}

/**
 * mqtt.js declares a connection dead 1.5 keep-alives after the last packet from the broker, so the MQTT
 * keep-alive is half the configured one: a silent broker shows as offline within `keepaliveSeconds`.
 */
export function mqttKeepalive(keepaliveSeconds: number): number {
  return Math.max(1, Math.floor(keepaliveSeconds / 2));
}

export class Link {
  private readonly client: MqttClient;
  private current: LinkStatus = 'connecting';
  private closing = false;
  /** connection failures so far (TLS refusals among them), for the agent's status */
  readonly failures: { failures(): number };

  constructor(
    private readonly options: LinkOptions,
    private readonly handlers: LinkHandlers,
  ) {
    this.client = createClient({
      url: options.url,
      clientId: options.clientId,
      keepaliveSeconds: mqttKeepalive(options.keepaliveSeconds),
      reconnectMs: options.reconnectMs ?? 1000,
      connectTimeoutMs: options.keepaliveSeconds * 1000,
      resubscribe: false,
      username: options.username,
      password: options.password,
      tls: options.tls,
      will: {
        topic: options.will.topic,
        payload: options.will.payload,
        qos: options.will.qos,
        retain: options.will.retain,
      },
    });
    this.client.on('connect', () => this.onConnect());
    this.client.on('close', () => this.setStatus('offline'));
    this.client.on('offline', () => this.setStatus('offline'));
    this.failures = reportConnectionErrors(this.client, options.log);
    this.client.on('message', (topic, payload, packet) => handlers.message(topic, payload, packet.retain));
  }

  get status(): LinkStatus {
    return this.current;
  }

  get connected(): boolean {
    return this.client.connected;
  }

  private setStatus(status: LinkStatus): void {
    if (status === this.current || this.closing) return;
    this.current = status;
    this.options.log.info('link', { status });
    this.handlers.status(status);
  }

  private onConnect(): void {
    this.setStatus('online');
    const filters = this.options.subscriptions;
    if (filters.length === 0) {
      this.handlers.ready();
      return;
    }
    // A broker that refuses a filter (an ACL: 0x80 in the SUBACK) makes mqtt.js fail the whole call, with the
    // SUBACK on the error. The desk still comes online: the refused filters are named, the rest works.
    this.client.subscribe(filters, { qos: 1 }, (error, _granted, packet) => {
      const codes = packet?.granted;
      if (error && !codes) {
        this.options.log.error('subscribe failed', { error: error.message });
        return;
      }
      const refused = filters.filter((_, i) => ((codes?.[i] as number | undefined) ?? 0) & 0x80);
      if (refused.length) this.options.log.error('subscription refused by the broker', { topics: refused });
      this.handlers.ready();
    });
  }

  /** Replaces the subscriptions (after a config change); takes effect at once when connected. */
  resubscribe(filters: string[]): void {
    const old = this.options.subscriptions;
    this.options.subscriptions = filters;
    if (!this.client.connected) return;
    const gone = old.filter((f) => !filters.includes(f));
    const added = filters.filter((f) => !old.includes(f));
    if (gone.length) this.client.unsubscribe(gone);
    if (added.length) this.client.subscribe(added, { qos: 1 });
  }

  /**
   * Publishes only while connected (false otherwise); resolves true once the broker acknowledged it.
   */
  publish(message: Encoded): Promise<boolean> {
    if (!this.client.connected) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.client.publish(message.topic, message.payload, { qos: message.qos, retain: message.retain }, (e) =>
        resolve(!e),
      );
    });
  }

  /**
   * Orderly stop: publishes `last` (the device's own offline state, so the will is not needed) when
   * connected, then ends the session with DISCONNECT so the broker discards the will.
   */
  async close(last?: Encoded): Promise<void> {
    if (last && this.client.connected) {
      await Promise.race([this.publish(last), new Promise((r) => setTimeout(r, 2000).unref())]);
    }
    this.closing = true;
    // Not connected: nothing to flush, and a graceful end would wait on a connect that may never come.
    const force = !this.client.connected;
    await new Promise<void>((resolve) => this.client.end(force, {}, () => resolve()));
  }
}
