// Login throttling: failed attempts are counted per client address and per username in a sliding
// window. The username limit stops a distributed guess at one operator's password; the (higher)
// address limit stops one machine trying many names, without locking out a whole switchboard room
// behind one NAT address after a few typos. Each is its own budget of memory (failure-windows.ts).
import { addressBucket } from './address-bucket.js';
import { FailureWindows, type Limit } from './failure-windows.js';

export type { Limit } from './failure-windows.js';

export interface RateLimitOptions {
  perUsername?: Limit;
  perAddress?: Limit;
  /**
   * keys below their limit tracked at most in each budget (usernames, addresses); beyond it the least
   * recently failed is forgotten. Default 10,000.
   */
  maxKeys?: number;
  /** locked keys kept at most in each budget; beyond it the one locked first is forgotten. Default 100,000. */
  maxLocked?: number;
  clock?: () => number;
}

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export type LimitCheck = { ok: true } | { ok: false; retryAfterSeconds: number; key: 'username' | 'address' };

export class LoginRateLimiter {
  /** separate budgets, so that no flood of addresses can push a locked username out, nor the reverse */
  private readonly users: FailureWindows;
  private readonly addresses: FailureWindows;
  private readonly clock: () => number;

  constructor(options: RateLimitOptions = {}) {
    const bounds = { maxKeys: options.maxKeys ?? 10_000, maxLocked: options.maxLocked ?? 100_000 };
    this.users = new FailureWindows(options.perUsername ?? { max: 5, windowMs: FIFTEEN_MINUTES }, bounds);
    this.addresses = new FailureWindows(options.perAddress ?? { max: 20, windowMs: FIFTEEN_MINUTES }, bounds);
    this.clock = options.clock ?? Date.now;
  }

  /** keys tracked in each budget */
  get size(): { users: number; addresses: number } {
    return { users: this.users.size, addresses: this.addresses.size };
  }

  /**
   * Whether a login attempt may go ahead now. An allowed attempt counts as a failure at once, before
   * the password is checked, so a burst of parallel guesses cannot all pass the check; `succeed`
   * takes it back. The address counts by its bucket (address-bucket.ts: an IPv6 /64 is one).
   */
  begin(address: string, username: string): LimitCheck {
    const now = this.clock();
    const name = normalise(username);
    const bucket = addressBucket(address);
    const user = this.users.wait(name, now);
    const addr = this.addresses.wait(bucket, now);
    if (user > 0 || addr > 0) {
      return user >= addr
        ? { ok: false, retryAfterSeconds: Math.ceil(user / 1000), key: 'username' }
        : { ok: false, retryAfterSeconds: Math.ceil(addr / 1000), key: 'address' };
    }
    this.users.record(name, now);
    this.addresses.record(bucket, now);
    return { ok: true };
  }

  /** The attempt was right: the username's failures are cleared, and this one attempt is taken off the
   * address (its other failures stay: one success from a shared address must not unlock guessing at
   * other names). */
  succeed(address: string, username: string): void {
    this.users.clear(normalise(username));
    this.addresses.takeBack(addressBucket(address));
  }
}

/** Usernames are compared as the users file stores them; the limit must not be dodged by case or
 * padding, and an attacker-chosen name must not grow memory without bound. */
const normalise = (username: string) => username.trim().toLowerCase().slice(0, 64);
