// What a broker silently withholds from a session, noticed, logged and counted for the service's health
// (docs/deploy.md, "When the broker withholds"): filters refused in a SUBACK, needed retained kinds of
// which nothing came by the first settle, retained publishes never heard back. MQTT 3.1.1 has no
// refusal of a publish: Mosquitto acknowledges one its ACL denies and drops it. The contract session
// tells it what happens on the link; it keeps its own state and its one timer.
import type { Logger } from '../log/logger.js';
import type { Kind } from '../protocol/index.js';

export interface Withheld {
  subscriptions: number;
  retained: number;
  publishes: number;
}

interface Waiting {
  payload: Buffer;
  /** when it is late */
  at: number;
  /** a subscription has been made since: its retained set would have brought it back */
  carried: boolean;
}

/** A publish not heard back by its deadline. */
const late = ({ at }: { at: number }) => at <= Date.now();

/** Where IT looks when the broker withholds: the account's ACL. */
const cause = (access: 'reading' | 'writing') =>
  `the broker account's ACL probably does not grant ${access} it: render the ACL with \`hanvisa devices acl\` (docs/deploy.md, "When the broker withholds")`;

export interface WatchOptions {
  log: Logger;
  /** retained kinds the service cannot work without */
  needs: readonly Kind[];
  /** how long a retained publish may take to come back */
  echoMs: number;
  /** the session's filters that bring a kind */
  filtersOf(kind: Kind): string[];
  connected(): boolean;
}

export class WithheldWatch {
  private readonly counts: Withheld = { subscriptions: 0, retained: 0, publishes: 0 };
  /** the needed kinds seen since the last subscription; undefined once checked */
  private neededSeen: Set<Kind> | undefined;
  /** retained publishes not heard back yet, by topic */
  private readonly unheard = new Map<string, Waiting>();
  private echoTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WatchOptions) {}

  withheld(): Withheld {
    return { ...this.counts };
  }

  /** From the subscribe on: mqtt.js may emit the first retained messages before the SUBACK. */
  subscribing(): void {
    if (this.options.needs.length) this.neededSeen = new Set();
  }

  refused(filters: string[]): void {
    this.counts.subscriptions += filters.length;
    this.options.log.error('subscription refused by the broker', { topics: filters });
  }

  subscribed(): void {
    for (const waiting of this.unheard.values()) waiting.carried = true;
  }

  /**
   * Our publish heard back, or another writer's newer value live: either way the broker delivers the
   * topic (a retained value of another payload is the older one the broker still holds).
   */
  heard(topic: string, payload: Buffer, retained: boolean, kind: Kind | undefined): void {
    // nearly always none waiting: no hashing of every topic of a retained burst
    const waiting = this.unheard.size ? this.unheard.get(topic) : undefined;
    if (waiting && (!retained || waiting.payload.equals(payload))) this.unheard.delete(topic);
    if (kind) this.neededSeen?.add(kind);
  }

  /** The retained state is in: every needed kind should have brought something, a late publish was dropped. */
  settled(): void {
    const seen = this.neededSeen;
    this.neededSeen = undefined;
    if (seen)
      for (const kind of this.options.needs) {
        if (seen.has(kind)) continue;
        this.counts.retained++;
        this.options.log.error('nothing retained arrived for a kind this service needs', {
          kind,
          filters: this.options.filtersOf(kind),
          cause: cause('reading'),
        });
      }
    this.report(late);
  }

  /**
   * Mosquitto 2.0 closes the connection after acknowledging a publish its ACL denies, so a service that
   * republishes on connect may never settle: a publish that a whole subscription's retained set (sent
   * before anything else on that connection) did not bring back was dropped.
   */
  lost(): void {
    this.report((u) => u.carried);
  }

  /**
   * Awaited before sending (the broker may deliver it back before its PUBACK). The same topic again
   * keeps its first deadline: a service that republishes on every connect must not push the alarm away
   * for ever.
   */
  publishing(topic: string, payload: string | Buffer): void {
    const held = this.unheard.get(topic);
    const at = held?.at ?? Date.now() + this.options.echoMs;
    this.unheard.set(topic, { payload: Buffer.from(payload), at, carried: held?.carried ?? false });
    this.arm(at - Date.now());
  }

  publishFailed(topic: string): void {
    this.unheard.delete(topic);
  }

  stop(): void {
    clearTimeout(this.echoTimer);
  }

  /** One timer for every topic waiting: a burst of publishes costs one. */
  private arm(ms: number): void {
    if (this.echoTimer) return;
    this.echoTimer = setTimeout(
      () => {
        this.echoTimer = undefined;
        // offline, nothing is late yet: the next subscription's settled state decides
        if (this.options.connected()) this.report(late);
      },
      Math.max(0, ms),
    );
  }

  /** Logs and counts the publishes judged dropped; waits on for the others. */
  private report(dropped: (waiting: Waiting) => boolean): void {
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
    if (Number.isFinite(next)) this.arm(next - now);
  }
}
