// The contract session: the one place that speaks MQTT and the contract together. It connects through
// mqtt/client.ts (clean session, no-delay, jittered back-off), subscribes its filters on every connect
// (a clean session forgets them, and subscribing brings the retained state again), decodes each
// message once, counts refusals, and emits every accepted message on the bus twice: as `message` for
// features that take them all, then under its kind (typed: `presence`, `queue`, ...) for those that
// want one kind. Every service is one of these plus a list of features (events/feature.ts).
import type { MqttClient } from 'mqtt';
import { EventBus } from '../events/bus.js';
import { type Feature, startFeatures, stopFeatures } from '../events/feature.js';
import type { Logger } from '../log/logger.js';
import {
  type Backoff,
  type BrokerLogin,
  backoffDelay,
  createClient,
  DEFAULT_BACKOFF,
  reportConnectionErrors,
} from '../mqtt/client.js';
import {
  decode,
  type Encoded,
  encode,
  filterFor,
  filtersOverlap,
  type Kind,
  type Message,
  matchesFilter,
  type Rejection,
  RejectionCounter,
} from '../protocol/index.js';

import { endWithin } from './bounded-end.js';
import { type Withheld, WithheldWatch } from './withheld-watch.js';

export type { Withheld } from './withheld-watch.js';

/** A message as it came: the topic and bytes (for features that compare raw payloads) and its decoding. */
export interface Received<K extends Kind = Kind> {
  topic: string;
  payload: Buffer;
  retained: boolean;
  message: Message<K>;
}

export type LinkStatus = 'connecting' | 'online' | 'offline';

/** What the session itself says; the kinds' own events sit beside these (SessionEvents). */
export interface LinkEvents {
  /** every message the contract took, whatever its kind */
  message: Received;
  /** a message the contract refused (already counted and logged), with its bytes for a service that answers it */
  rejected: Rejection & { payload: Buffer };
  /** the link came up or went away ('online' is connected, not yet subscribed) */
  status: LinkStatus;
  /** connected and subscribed: the moment to publish what the service is the authority for */
  subscribed: undefined;
  /** after subscribing, no message came for the settle window: the broker's retained state is in */
  settled: undefined;
}

export type KindEvents = { [K in Kind]: Received<K> };
export type SessionEvents = KindEvents & LinkEvents;

export interface SessionOptions<Events extends SessionEvents = SessionEvents> {
  url: string;
  /** the MQTT client id: unique per connection (a second client with the same id drops the first) */
  clientId: string;
  login?: BrokerLogin | undefined;
  /** filters subscribed (QoS 1) on every connect; see `kindFilters` */
  filters: string[];
  log: Logger;
  /**
   * the bus to emit on, when the service's features also hear events of its own there (the desk agent's
   * panel and timer): one bus keeps one order of features for every event; default a bus of its own
   */
  bus?: EventBus<Events>;
  /** published by the broker when the connection dies without a DISCONNECT */
  will?: Encoded | undefined;
  /** MQTT keep-alive (seconds); default mqtt.js's 60 */
  keepaliveSeconds?: number;
  connectTimeoutMs?: number;
  /** default 1 s growing to 15 s, jittered (mqtt/client.ts) */
  backoff?: Backoff;
  /**
   * MQTT 3.1.1 has no "end of retained messages": the burst after a subscription counts as settled
   * once no message arrived for this long (default 300 ms)
   */
  settleMs?: number;
  /**
   * retained kinds the service cannot work without: when nothing of one arrived by the first `settled`
   * after subscribing, the session logs an error naming the kind, its filters and the likely cause
   * (the account's ACL) and counts it in `withheld`. Each must be subscribed by `filters`.
   */
  needs?: readonly Kind[];
  /**
   * a retained publish on a topic the session subscribes to comes back to it; one not heard back
   * within this long (default 5 s) was dropped by the broker, and is logged and counted
   */
  echoMs?: number;
}

export class ContractSession<Events extends SessionEvents = SessionEvents> {
  readonly bus: EventBus<Events>;
  /** the same bus, seen as what the session emits on it (Events holds every session event) */
  private readonly emitter: EventBus<SessionEvents>;
  readonly rejections: RejectionCounter;
  /** resolves on the first subscription */
  readonly ready: Promise<void>;
  private client: MqttClient | undefined;
  private failureCount: { failures(): number } = { failures: () => 0 };
  private filters: string[];
  private current: LinkStatus = 'connecting';
  private features: Feature[] = [];
  private closing = false;
  private closed: Promise<void> | undefined;
  private subscribedOnce: () => void = () => {};
  private settleTimer: NodeJS.Timeout | undefined;
  private refusedTimer: NodeJS.Timeout | undefined;
  private heardSinceCheck = false;
  private readonly watch: WithheldWatch;

  constructor(private readonly options: SessionOptions<Events>) {
    this.bus = options.bus ?? new EventBus<Events>(options.log);
    this.emitter = this.bus as unknown as EventBus<SessionEvents>;
    this.rejections = new RejectionCounter(options.log);
    this.filters = [...options.filters];
    this.watch = new WithheldWatch({
      log: options.log,
      needs: options.needs ?? [],
      echoMs: options.echoMs ?? 5000,
      filtersOf: (kind) => this.filtersOf(kind),
      connected: () => this.connected,
    });
    this.ready = new Promise((resolve) => {
      this.subscribedOnce = resolve;
    });
  }

  get status(): LinkStatus {
    return this.current;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** what the broker withheld so far (see Withheld) */
  withheld(): Withheld {
    return this.watch.withheld();
  }

  /** connection failures so far (TLS refusals among them) */
  failures(): number {
    return this.failureCount.failures();
  }

  /**
   * Starts the features in order, then connects: every feature hears the first message. A feature that
   * fails to start stops the ones before it and the error is thrown.
   */
  async start(features: Feature[]): Promise<void> {
    for (const kind of this.options.needs ?? [])
      if (this.filtersOf(kind).length === 0) throw new Error(`the session needs ${kind} but subscribes none`);
    this.features = features;
    await startFeatures(features);
    this.connect();
  }

  private connect(): void {
    const { options } = this;
    const client = createClient({
      url: options.url,
      clientId: options.clientId,
      ...options.login,
      reconnectMs: options.backoff ?? DEFAULT_BACKOFF,
      // subscribed on every connect here, so mqtt.js must not do it a second time
      resubscribe: false,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      ...(options.keepaliveSeconds !== undefined ? { keepaliveSeconds: options.keepaliveSeconds } : {}),
      ...(options.will ? { will: { ...options.will } } : {}),
    });
    this.client = client;
    this.failureCount = reportConnectionErrors(client, options.log);
    client.on('message', (topic, payload, packet) => this.receive(topic, payload, packet.retain));
    client.on('connect', () => {
      this.setStatus('online');
      this.subscribe(client);
    });
    client.on('close', () => this.setStatus('offline'));
    client.on('offline', () => this.setStatus('offline'));
  }

  private receive(topic: string, payload: Buffer, retained: boolean): void {
    if (this.closing) return;
    this.heardSinceCheck = true;
    const decoded = decode(topic, payload);
    this.watch.heard(topic, payload, retained, decoded.ok ? decoded.message.kind : undefined);
    if (!decoded.ok) {
      this.rejections.record(decoded);
      this.emitter.emit('rejected', { ...decoded, payload });
      return;
    }
    const received = { topic, payload, retained, message: decoded.message } as Received;
    // `message` first: a feature that keeps the state of every kind (the board's model) has applied it
    // before any feature that hears only this kind acts on it
    this.emitter.emit('message', received);
    this.emitter.emit(decoded.message.kind, received as never);
  }

  private setStatus(status: LinkStatus): void {
    if (status === this.current || this.closing) return;
    this.current = status;
    if (status !== 'online') {
      this.stopSettling();
      this.watch.lost();
    }
    this.options.log.info('link', { status });
    this.emitter.emit('status', status);
  }

  /**
   * A broker that refuses a filter (an ACL: 0x80 in the SUBACK) makes mqtt.js fail the whole call, with
   * the SUBACK on the error: the refused filters are named, the rest works.
   */
  private subscribe(client: MqttClient): void {
    const filters = this.filters;
    this.watch.subscribing();
    if (filters.length === 0) {
      this.subscribed();
      return;
    }
    client.subscribe(filters, { qos: 1 }, (error, _granted, packet) => {
      const codes = packet?.granted;
      if (error && !codes) {
        this.options.log.error('subscribe failed', { error: error.message });
        return;
      }
      const refused = this.countRefused(filters, codes);
      if (refused.length) this.askAgain(client, refused, 0);
      this.subscribed();
    });
  }

  private countRefused(filters: string[], codes: readonly unknown[] | undefined): string[] {
    const refused = filters.filter((_, i) => ((codes?.[i] as number | undefined) ?? 0) & 0x80);
    if (refused.length) this.watch.refused(refused);
    return refused;
  }

  private filtersOf(kind: Kind): string[] {
    const all = filterFor(kind, '+');
    return this.filters.filter((f) => filtersOverlap(f, all));
  }

  /**
   * A refusal may pass: a NATS cluster answers 0x80 when it cannot create the subscription's JetStream
   * consumer in time (a node just lost, a leader being elected). So the refused filters are asked for
   * again, ever later (the reconnect back-off's delays), while this connection lasts; an ACL refusal
   * just stays refused. A new connection subscribes everything anyway.
   */
  private askAgain(client: MqttClient, filters: string[], attempt: number): void {
    clearTimeout(this.refusedTimer);
    this.refusedTimer = setTimeout(
      () => {
        if (this.closing || client !== this.client || !client.connected) return;
        client.subscribe(filters, { qos: 1 }, (error, _granted, packet) => {
          const codes = packet?.granted;
          const still = filters.filter((_, i) => !codes || ((codes[i] as number | undefined) ?? 0) & 0x80);
          if (still.length) this.askAgain(client, still, attempt + 1);
          else if (!error)
            this.options.log.info('subscription granted when asked again', { topics: filters });
        });
      },
      backoffDelay(this.options.backoff ?? DEFAULT_BACKOFF, attempt),
    );
  }

  private subscribed(): void {
    if (this.closing || !this.connected) return;
    this.subscribedOnce();
    this.watch.subscribed();
    this.emitter.emit('subscribed', undefined);
    this.startSettling();
  }

  /** Checks once a window rather than re-arming a timer per message: a burst of 100,000 costs nothing. */
  private startSettling(): void {
    this.stopSettling();
    this.heardSinceCheck = false;
    const check = () => {
      if (this.heardSinceCheck) {
        this.heardSinceCheck = false;
        this.settleTimer = setTimeout(check, this.options.settleMs ?? 300);
        return;
      }
      this.settleTimer = undefined;
      this.watch.settled();
      this.emitter.emit('settled', undefined);
    };
    this.settleTimer = setTimeout(check, this.options.settleMs ?? 300);
  }

  private stopSettling(): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
  }

  /** Replaces the filters (a desk's new extension, say); takes effect at once when connected. */
  setFilters(filters: string[]): void {
    const old = this.filters;
    this.filters = [...filters];
    const client = this.client;
    if (!client?.connected) return;
    const gone = old.filter((f) => !filters.includes(f));
    const added = filters.filter((f) => !old.includes(f));
    if (gone.length) client.unsubscribe(gone);
    if (added.length)
      client.subscribe(added, { qos: 1 }, (_error, _granted, packet) =>
        this.countRefused(added, packet?.granted),
      );
  }

  /**
   * Publishes a contract message (encode() picks topic, retain and QoS; an invalid body throws) and
   * resolves once the broker has it. While offline mqtt.js holds it until the next connect; callers
   * that must not wait use `send`.
   */
  async publish(message: Message): Promise<void> {
    await this.publishEncoded(encode(message));
  }

  publishEncoded({ topic, payload, qos, retain }: Encoded): Promise<void> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('the session has not started'));
    // awaited before sending: the broker may deliver it back before its PUBACK
    if (retain && this.filters.some((f) => matchesFilter(f, topic))) this.watch.publishing(topic, payload);
    return client.publishAsync(topic, payload, { qos, retain }).then(
      () => undefined,
      (e: unknown) => {
        this.watch.publishFailed(topic);
        throw e;
      },
    );
  }

  /**
   * Publishes only while connected and never throws: false when offline (the caller republishes its
   * latest state on the next `subscribed`, rather than mqtt.js replaying stale ones) or when it failed.
   */
  send(message: Message | Encoded): Promise<boolean> {
    if (!this.connected) return Promise.resolve(false);
    const encoded = 'payload' in message ? message : encode(message);
    return this.publishEncoded(encoded).then(
      () => true,
      (e: unknown) => {
        this.options.log.warn('publish failed', { topic: encoded.topic, error: (e as Error).message });
        return false;
      },
    );
  }

  /**
   * Stops the features (last first), publishes `last` when connected (a service's own goodbye, so the
   * will is not needed; at most 2 s), then ends with DISCONNECT so the broker discards the will. A
   * graceful end waits for every PUBACK still due; a broker that never sends one (a loaded NATS cluster
   * did, for the goodbye itself) gets 2 s, then the connection is dropped: a stop always ends.
   */
  close(last?: Message | Encoded): Promise<void> {
    this.closed ??= this.shutdown(last);
    return this.closed;
  }

  private async shutdown(last: Message | Encoded | undefined): Promise<void> {
    await stopFeatures(this.features);
    if (last && this.connected) {
      await Promise.race([this.send(last), new Promise((r) => setTimeout(r, 2000).unref())]);
    }
    this.closing = true;
    this.stopSettling();
    this.watch.stop();
    clearTimeout(this.refusedTimer);
    const client = this.client;
    if (!client) return;
    await endWithin(client, 2000, this.options.log);
  }
}
