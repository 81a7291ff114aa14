// A small typed event bus (zigbee2mqtt's shape): features are extensions that subscribe to typed events
// and emit their own, so a new feature plugs in without the others knowing it. Listeners run
// synchronously in the order they subscribed; a listener that throws is counted and logged and never
// reaches the emitter, so one broken feature cannot stop the others from hearing the event.

/** A feature of a process built on the bus: it subscribes in `start` and lets go in `stop`. */
export interface Extension {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/** The one thing the bus logs; any part's logger fits (the bus sits below log/ and imports nothing). */
export interface ErrorLog {
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One listener per event, for `subscribeAll`. */
export type Handlers<Events extends object> = { [K in keyof Events]?: (payload: Events[K]) => void };

/** Subscribes each handler (in the object's order); returns the one call that unsubscribes them all. */
export function subscribeAll<Events extends object>(
  bus: EventBus<Events>,
  handlers: Handlers<Events>,
): () => void {
  const offs = (Object.keys(handlers) as (keyof Events)[]).map((event) =>
    bus.on(event, handlers[event] as (payload: unknown) => void),
  );
  return () => {
    for (const off of offs) off();
  };
}

/** Events without a payload are declared `undefined` and emitted with no argument. */
type Payload<T> = [T] extends [undefined] ? [] : [payload: T];

export class EventBus<Events extends object> {
  private readonly listeners = new Map<keyof Events, ((payload: never) => void)[]>();
  private failed = 0;

  constructor(private readonly log: ErrorLog) {}

  /** Listener errors so far. */
  get listenerErrors(): number {
    return this.failed;
  }

  /** Subscribes; returns the matching `off`. */
  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): void {
    const left = (this.listeners.get(event) ?? []).filter((l) => l !== listener);
    if (left.length) this.listeners.set(event, left);
    else this.listeners.delete(event);
  }

  emit<K extends keyof Events>(event: K, ...[payload]: Payload<Events[K]>): void {
    // a snapshot: a listener that subscribes or unsubscribes during the emit changes the next emit only
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (payload: Events[K] | undefined) => void)(payload);
      } catch (e) {
        this.failed++;
        this.log.error('event listener failed', { event: String(event), error: (e as Error).message });
      }
    }
  }
}
