// The events waiting for the store. They are appended in batches (one insert for many messages keeps
// up with a retained burst); a batch the store refuses stays for the next try, so a database restart
// loses nothing, up to MAX_PENDING events (beyond that the oldest go, counted and logged).
import type { Logger } from '../../log/logger.js';
import type { RecordedEvent } from './recorded-events.js';
import type { Storage } from './storage/port.js';

/** a store that stays away this long loses the oldest events beyond this many, counted */
const MAX_PENDING = 500_000;

export interface BatchCounts {
  /** messages the features handed in (refused ones never get here) */
  received: number;
  recorded: number;
  /** messages that repeated the last value of their topic (retained re-delivery, QoS 1 duplicates) */
  repeated: number;
  /** events the store already had */
  duplicates: number;
  /** append failures (the store unreachable): the batch is kept and retried */
  storeErrors: number;
}

export class EventBatch {
  readonly counts: BatchCounts = { received: 0, recorded: 0, repeated: 0, duplicates: 0, storeErrors: 0 };
  private pending: RecordedEvent[] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: Storage,
    private readonly log: Logger,
    /** a batch this full is appended at once, without waiting for the timer */
    private readonly max: number,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  /** One received message's event; undefined when it only repeated its topic's last value. */
  add(event: RecordedEvent | undefined): void {
    this.counts.received++;
    if (!event) {
      this.counts.repeated++;
      return;
    }
    this.pending.push(event);
    if (this.pending.length >= this.max) void this.flush();
  }

  /** Appends what is waiting now, after any append already under way. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.append());
    return this.flushing;
  }

  private async append(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      const added = await this.storage.append(batch);
      this.counts.recorded += added;
      this.counts.duplicates += batch.length - added;
    } catch (e) {
      this.counts.storeErrors++;
      this.pending = batch.concat(this.pending);
      if (this.pending.length > MAX_PENDING) this.pending = this.pending.slice(-MAX_PENDING);
      this.log.error('cannot append to the store; kept for the next try', {
        error: (e as Error).message,
        pending: this.pending.length,
      });
    }
  }
}
