// One budget of the login limiter (ratelimit.ts): failure times per key in a sliding window, with
// bounded memory. A key that reached its limit (locked) is kept apart from the rest, so a flood of
// other keys evicts only keys that are not locked: an attacker cannot unlock a user by making noise.

export interface Limit {
  /** failures allowed within the window; the next attempt is refused */
  max: number;
  windowMs: number;
}

export interface Bounds {
  /** keys below their limit tracked at most; beyond it the least recently failed is forgotten */
  maxKeys: number;
  /**
   * locked keys kept at most (each costs `max` failures within the window, so reaching this takes a
   * flood from very many addresses); beyond it the one locked first is forgotten
   */
  maxLocked: number;
}

export class FailureWindows {
  /** key → failure times, oldest first, at most `max`; Map order is least recently failed first */
  private readonly open = new Map<string, number[]>();
  /** the same for keys at their limit; Map order is the order they were locked in */
  private readonly locked = new Map<string, number[]>();

  constructor(
    private readonly limit: Limit,
    private readonly bounds: Bounds,
  ) {}

  get size(): number {
    return this.open.size + this.locked.size;
  }

  /** Milliseconds until the key may try again; 0 when it may now. */
  wait(key: string, now: number): number {
    const times = this.recent(key, now);
    if (times.length < this.limit.max) return 0;
    const oldest = times[times.length - this.limit.max] ?? now;
    return Math.max(1, oldest + this.limit.windowMs - now);
  }

  record(key: string, now: number): void {
    const times = [...this.recent(key, now), now].slice(-this.limit.max);
    this.open.delete(key);
    this.locked.delete(key);
    this.keep(key, times);
    while (this.open.size > this.bounds.maxKeys) this.forgetFirst(this.open);
    while (this.locked.size > this.bounds.maxLocked) this.forgetFirst(this.locked);
  }

  /** Takes the newest failure back (the attempt it counted succeeded). */
  takeBack(key: string): void {
    const times = this.open.get(key) ?? this.locked.get(key);
    if (!times) return;
    this.clear(key);
    times.pop();
    if (times.length) this.keep(key, times);
  }

  clear(key: string): void {
    this.open.delete(key);
    this.locked.delete(key);
  }

  /** The key's failures within the window; a key whose failures all left it is forgotten. */
  private recent(key: string, now: number): number[] {
    const times = this.open.get(key) ?? this.locked.get(key);
    if (!times) return [];
    const live = times.filter((t) => now - t < this.limit.windowMs);
    if (live.length === times.length) return live;
    if (live.length === 0) this.clear(key);
    else if (this.open.has(key))
      this.open.set(key, live); // its place in the order stays
    else {
      this.locked.delete(key);
      this.keep(key, live);
    }
    return live;
  }

  private keep(key: string, times: number[]): void {
    (times.length >= this.limit.max ? this.locked : this.open).set(key, times);
  }

  private forgetFirst(map: Map<string, number[]>): void {
    const first = map.keys().next();
    if (!first.done) map.delete(first.value);
  }
}
