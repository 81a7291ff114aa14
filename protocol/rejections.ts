// Bad input is counted and logged, never thrown: every consumer of decode() keeps one of these.

import type { Logger } from '../log/logger.js';
import type { Rejection, RejectReason } from './codec.js';

export class RejectionCounter {
  readonly byReason = new Map<RejectReason, number>();
  total = 0;
  last: Rejection | undefined;

  constructor(private readonly log?: Logger) {}

  record(rejection: Rejection): void {
    this.total++;
    this.byReason.set(rejection.reason, (this.byReason.get(rejection.reason) ?? 0) + 1);
    this.last = rejection;
    // The payload is not logged: it may hold personal data (a phone message).
    this.log?.warn('rejected message', {
      topic: rejection.topic,
      reason: rejection.reason,
      detail: rejection.detail,
    });
  }

  snapshot(): { total: number; byReason: Record<string, number> } {
    return { total: this.total, byReason: Object.fromEntries(this.byReason) };
  }
}
