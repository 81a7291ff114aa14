// Reopen delays for drivers whose device comes and goes: doubling from min to max, from min again once
// the device answers.
export class Backoff {
  private nextMs: number;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {
    this.nextMs = minMs;
  }

  /** the wait before the next attempt; each call doubles the one after it, up to max */
  next(): number {
    const ms = this.nextMs;
    this.nextMs = Math.min(ms * 2, this.maxMs);
    return ms;
  }

  reset(): void {
    this.nextMs = this.minMs;
  }
}
