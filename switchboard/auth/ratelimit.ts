// Login throttling: failed attempts are counted per client address and per username in a sliding
// window. The username limit stops a distributed guess at one operator's password; the (higher)
// address limit stops one machine trying many names, without locking out a whole switchboard room
// behind one NAT address after a few typos.

export interface Limit {
  /** failures allowed within the window; the next attempt is refused */
  max: number;
  windowMs: number;
}

export interface RateLimitOptions {
  perUsername?: Limit;
  perAddress?: Limit;
  /** keys tracked at most; beyond it the least recently failed key is forgotten. Default 10,000. */
  maxKeys?: number;
  clock?: () => number;
}

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export type LimitCheck = { ok: true } | { ok: false; retryAfterSeconds: number; key: 'username' | 'address' };

export class LoginRateLimiter {
  /** key → failure times, oldest first, at most `max` kept; Map order is least recently failed first. */
  private readonly failures = new Map<string, number[]>();
  private readonly perUsername: Limit;
  private readonly perAddress: Limit;
  private readonly maxKeys: number;
  private readonly clock: () => number;

  constructor(options: RateLimitOptions = {}) {
    this.perUsername = options.perUsername ?? { max: 5, windowMs: FIFTEEN_MINUTES };
    this.perAddress = options.perAddress ?? { max: 20, windowMs: FIFTEEN_MINUTES };
    this.maxKeys = options.maxKeys ?? 10_000;
    this.clock = options.clock ?? Date.now;
  }

  get size(): number {
    return this.failures.size;
  }

  /**
   * Whether a login attempt may go ahead now. An allowed attempt counts as a failure at once, before
   * the password is checked, so a burst of parallel guesses cannot all pass the check; `succeed`
   * takes it back.
   */
  begin(address: string, username: string): LimitCheck {
    const now = this.clock();
    const user = this.wait(`u:${normalise(username)}`, this.perUsername, now);
    const addr = this.wait(`a:${address}`, this.perAddress, now);
    if (user > 0 || addr > 0) {
      return user >= addr
        ? { ok: false, retryAfterSeconds: Math.ceil(user / 1000), key: 'username' }
        : { ok: false, retryAfterSeconds: Math.ceil(addr / 1000), key: 'address' };
    }
    this.record(`u:${normalise(username)}`, this.perUsername, now);
    this.record(`a:${address}`, this.perAddress, now);
    return { ok: true };
  }

  /** The attempt was right: the username's failures are cleared, and this one attempt is taken off the
   * address (its other failures stay: one success from a shared address must not unlock guessing at
   * other names). */
  succeed(address: string, username: string): void {
    this.failures.delete(`u:${normalise(username)}`);
    const times = this.failures.get(`a:${address}`);
    times?.pop();
    if (times?.length === 0) this.failures.delete(`a:${address}`);
  }

  /** Milliseconds until the key may try again; 0 when it may now. */
  private wait(key: string, limit: Limit, now: number): number {
    const times = this.recent(key, limit, now);
    if (times.length < limit.max) return 0;
    const oldest = times[times.length - limit.max] ?? now;
    return Math.max(1, oldest + limit.windowMs - now);
  }

  private recent(key: string, limit: Limit, now: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const live = times.filter((t) => now - t < limit.windowMs);
    if (live.length === 0) this.failures.delete(key);
    else if (live.length !== times.length) this.failures.set(key, live);
    return live;
  }

  private record(key: string, limit: Limit, now: number): void {
    const times = this.recent(key, limit, now);
    times.push(now);
    this.failures.delete(key);
    this.failures.set(key, times.slice(-limit.max));
    while (this.failures.size > this.maxKeys) {
      const stale = this.failures.keys().next().value;
      if (stale === undefined) break;
      this.failures.delete(stale);
    }
  }
}

/** Usernames are compared as the users file stores them; the limit must not be dodged by case or
 * padding, and an attacker-chosen name must not grow memory without bound. */
const normalise = (username: string) => username.trim().toLowerCase().slice(0, 64);
