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

/**
 * What the broker withheld from this session, for the service's health: filters refused in a SUBACK,
 * needed retained kinds of which nothing came, retained publishes never heard back (MQTT 3.1.1 has
 * no refusal of a publish: Mosquitto acknowledges one its ACL denies and drops it).
 */
export interface Withheld {
  subscriptions: number;
  retained: number;
  publishes: number;
}

/** A publish not heard back by its deadline. */
const late = ({ at }: { at: number }) => at <= Date.now();

/** Where IT looks when the broker withholds: the account's ACL. */
const cause = (access: 'reading' | 'writing') =>
  `the broker account's ACL probably does not grant ${access} it: render the ACL with \`hanvisa devices acl\` (docs/deploy.md, "When the broker withholds")`;

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
  private readonly counts: Withheld = { subscriptions: 0, retained: 0, publishes: 0 };
  /** the needed kinds seen since the last subscription; undefined once checked */
  private neededSeen: Set<Kind> | undefined;
  /**
   * retained publishes not heard back yet, by topic: what was sent, when it is late, and whether a
   * subscription has been made since (its retained set would have brought it back)
   */
  private readonly unheard = new Map<string, { payload: Buffer; at: number; carried: boolean }>();
  private echoTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SessionOptions<Events>) {
    this.bus = options.bus ?? new EventBus<Events>(options.log);
    this.emitter = this.bus as unknown as EventBus<SessionEvents>;
    this.rejections = new RejectionCounter(options.log);
    this.filters = [...options.filters];
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
    return { ...this.counts };
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
    // our publish heard back, or another writer's newer value live: either way the broker delivers the
    // topic (a retained value of another payload is the older one the broker still holds)
    const waiting = this.unheard.get(topic);
    if (waiting && (!retained || waiting.payload.equals(payload))) this.unheard.delete(topic);
    const decoded = decode(topic, payload);
    if (!decoded.ok) {
      this.rejections.record(decoded);
      this.emitter.emit('rejected', { ...decoded, payload });
      return;
    }
    this.neededSeen?.add(decoded.message.kind);
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
      // Mosquitto 2.0 closes the connection after acknowledging a publish its ACL denies, so a service
      // that republishes on connect may never settle: a publish that a whole subscription's retained
      // set (sent before anything else on that connection) did not bring back was dropped
      this.reportUnheard((u) => u.carried);
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
    // from now: mqtt.js may emit the first retained messages before it calls back with the SUBACK
    if (this.options.needs?.length) this.neededSeen = new Set();
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
    if (!refused.length) return refused;
    this.counts.subscriptions += refused.length;
    this.options.log.error('subscription refused by the broker', { topics: refused });
    return refused;
  }

  private filtersOf(kind: Kind): string[] {
    const all = filterFor(kind, '+');
    return this.filters.filter((f) => filtersOverlap(f, all));
  }

  /** At the first `settled` after subscribing: every needed kind should have brought something. */
  private checkNeeds(): void {
    const seen = this.neededSeen;
    this.neededSeen = undefined;
    if (!seen) return;
    for (const kind of this.options.needs ?? []) {
      if (seen.has(kind)) continue;
      this.counts.retained++;
      this.options.log.error('nothing retained arrived for a kind this service needs', {
        kind,
        filters: this.filtersOf(kind),
        cause: cause('reading'),
      });
    }
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
    for (const waiting of this.unheard.values()) waiting.carried = true;
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
      this.checkNeeds();
      // the retained state is in: a publish still unheard and late was dropped
      this.reportUnheard(late);
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
    if (retain && this.filters.some((f) => matchesFilter(f, topic))) this.awaitEcho(topic, payload);
    return client.publishAsync(topic, payload, { qos, retain }).then(
      () => undefined,
      (e: unknown) => {
        this.unheard.delete(topic);
        throw e;
      },
    );
  }

  /**
   * A broker that takes the publish delivers it to every subscriber of its topic, this session too.
   * The same topic again keeps its first deadline: Mosquitto 2.0 closes the connection after a denied
   * publish, and a service that republishes on every connect must not push the alarm away for ever.
   */
  private awaitEcho(topic: string, payload: string | Buffer): void {
    const held = this.unheard.get(topic);
    const at = held?.at ?? Date.now() + this.echoMs;
    this.unheard.set(topic, { payload: Buffer.from(payload), at, carried: held?.carried ?? false });
    this.armEchoCheck(at - Date.now());
  }

  private get echoMs(): number {
    return this.options.echoMs ?? 5000;
  }

  /** One timer for every topic waiting: a burst of publishes costs one. */
  private armEchoCheck(ms: number): void {
    if (this.echoTimer) return;
    this.echoTimer = setTimeout(
      () => {
        this.echoTimer = undefined;
        // offline, nothing is late yet: the next subscription's settled state decides (reportUnheard)
        if (this.connected) this.reportUnheard(late);
      },
      Math.max(0, ms),
    );
  }

  /** Logs and counts the publishes judged dropped; waits on for the others. */
  private reportUnheard(dropped: (waiting: { at: number; carried: boolean }) => boolean): void {
    const now = Date.now();
    for (const [topic, waiting] of this.unheard) {
      if (!dropped(waiting)) continue;
      this.unheard.delete(topic);
      this.counts.publishes++;
      this.options.log.error('the broker took a retained publish but never delivered it back', {
        topic,
        cause: cause('writing'),
      });
    }
    const next = Math.min(...[...this.unheard.values()].map((u) => u.at));
    if (Number.isFinite(next)) this.armEchoCheck(next - now);
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
   * will is not needed; at most 2 s), then ends with DISCONNECT so the broker discards the will.
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
    clearTimeout(this.echoTimer);
    clearTimeout(this.refusedTimer);
    const client = this.client;
    if (!client) return;
    // Not connected: nothing to flush, and a graceful end would wait on a connect that may never come.
    await client.endAsync(!client.connected);
  }
}
