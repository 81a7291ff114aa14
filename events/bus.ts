// A tiny typed event bus: features (feature.ts) hang on it instead of on a transport's raw events.
// Synchronous, in subscription order, so a feature sees an event before the next one arrives (the
// board's model must apply a message before the durable store or a write acts on it). A listener
// that throws is counted and logged; the others still run and the emitter never sees the error.
import type { Logger } from '../log/logger.js';

export type Listener<T> = (event: T) => void;

export class EventBus<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();
  /** listener calls that threw, per event name */
  readonly failures = new Map<keyof Events, number>();

  constructor(private readonly log?: Logger) {}

  /** Subscribes; returns the unsubscribe function. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    const set = this.listeners.get(name) ?? new Set();
    set.add(listener);
    this.listeners.set(name, set);
    return () => this.off(name, listener);
  }

  off<K extends keyof Events>(name: K, listener: Listener<Events[K]>): void {
    this.listeners.get(name)?.delete(listener);
  }

  emit<K extends keyof Events>(name: K, event: Events[K]): void {
    const set = this.listeners.get(name) as Set<Listener<Events[K]>> | undefined;
    if (!set) return;
    for (const listener of set) {
      try {
        listener(event);
      } catch (e) {
        this.failures.set(name, (this.failures.get(name) ?? 0) + 1);
        this.log?.error('event listener failed', { event: String(name), error: (e as Error).message });
      }
    }
  }
}

/** One listener per event, for `subscribeAll`. */
export type Handlers<Events extends object> = { [K in keyof Events]?: Listener<Events[K]> };

/** Subscribes each handler (in the object's order); returns the one call that unsubscribes them all. */
export function subscribeAll<Events extends object>(
  bus: EventBus<Events>,
  handlers: Handlers<Events>,
): () => void {
  const offs = (Object.keys(handlers) as (keyof Events)[]).map((name) =>
    bus.on(name, handlers[name] as Listener<unknown>),
  );
  return () => {
    for (const off of offs) off();
  };
}
