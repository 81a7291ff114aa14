// This desk's presence against the broker's retained one: the desk is the authority for its own
// presence, but after a restart, a corrupt journal or a reassignment the broker may know better.
// The broker's view counts only once seen, or once the settle window passed without it (it has none).
import type { Presence } from '../../protocol/index.js';
import type { Clock } from '../../rules/clock.js';
import { comparePresence } from '../../rules/referral.js';

export type ReconcileStep =
  /** the broker's view is not known yet */
  | 'wait'
  /** take the broker's presence: it is newer, or ours is unknown */
  | 'adopt'
  /** neither side knows one: a fresh desk announces itself available */
  | 'assume-available'
  /** neither side knows one and we may not assume: stay unknown */
  | 'stay-unknown'
  /** the broker is behind: send ours */
  | 'publish'
  /** the broker already holds ours: it is no longer pending */
  | 'confirm'
  | 'nothing';

export interface SyncView {
  settled: boolean;
  local: Presence | undefined;
  /** undefined until seen or settled, null when the broker has none */
  remote: Presence | null | undefined;
  pending: boolean;
  mayAssumeAvailable: boolean;
  inFlight: Presence | undefined;
}

/** After the broker's view is known: take a newer presence from it, or heal it with ours. */
export function reconcileStep(v: SyncView): ReconcileStep {
  if (!v.settled) return 'wait';
  const remote = v.remote ?? null;
  if (!v.local) return remote ? 'adopt' : v.mayAssumeAvailable ? 'assume-available' : 'stay-unknown';
  if (remote && comparePresence(remote, v.local) > 0) return 'adopt';
  const brokerBehind = !remote || comparePresence(v.local, remote) > 0;
  if (brokerBehind && v.inFlight !== v.local) return 'publish';
  if (!brokerBehind && v.pending) return 'confirm';
  return 'nothing';
}

export interface PresenceSyncDeps {
  clock: Clock;
  settleMs: number;
  connected(): boolean;
  /** publish this presence under the desk's current ext; true once the broker acknowledged it */
  send(presence: Presence): Promise<boolean>;
  /** the presence a desk starts from: available, now */
  initial(): Presence;
  /** persist presence and pending (the journal) */
  save(): void;
  /** something visible changed */
  changed(): void;
}

export interface SyncStart {
  presence: Presence | undefined;
  pending: boolean;
  /** false after a corrupt journal: we know nothing and say nothing until the broker has spoken */
  mayAssumeAvailable: boolean;
}

export class PresenceSync {
  private current: Presence | undefined;
  private isPending: boolean;
  private mayAssumeAvailable: boolean;
  private remote: Presence | null | undefined;
  private isSettled = false;
  private inFlight: Presence | undefined;
  private settleTimer: unknown;

  constructor(
    private readonly deps: PresenceSyncDeps,
    start: SyncStart,
  ) {
    this.current = start.presence;
    this.isPending = start.pending;
    this.mayAssumeAvailable = start.mayAssumeAvailable;
  }

  /** undefined only while the state is unknown */
  get presence(): Presence | undefined {
    return this.current;
  }
  /** true until the broker acknowledged the current presence */
  get pending(): boolean {
    return this.isPending;
  }
  /** the broker's view is known */
  get settled(): boolean {
    return this.isSettled;
  }

  /**
   * A local change: keep it, send it when we may, journal it (the journal feature writes it once the
   * packet has left: features/journal.ts). The journal says pending until the PUBACK.
   */
  set(next: Presence): void {
    if (next === this.current) return;
    this.current = next;
    this.isPending = true;
    this.publish();
    this.deps.save();
  }

  /** The broker's retained presence for this desk arrived. */
  heard(remote: Presence | null): void {
    this.remote = remote;
    if (!this.isSettled) this.settle();
    else this.reconcile();
  }

  /** Connected and subscribed: give the broker the settle window to show its presence. */
  awaitBroker(): void {
    this.settleTimer = this.deps.clock.setTimeout(() => this.settle(), this.deps.settleMs);
  }

  /** The session ended: the broker's view must be learnt again. */
  lost(): void {
    this.isSettled = false;
    this.remote = undefined;
    this.inFlight = undefined;
    this.cancelSettle();
  }

  /** Reassigned to another extension: that person's presence is not ours; learn theirs from the broker. */
  forget(): void {
    this.current = undefined;
    this.isPending = false;
    this.mayAssumeAvailable = true;
    this.remote = undefined;
    this.isSettled = false;
  }

  stop(): void {
    this.cancelSettle();
  }

  private cancelSettle(): void {
    if (this.settleTimer !== undefined) this.deps.clock.clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
  }

  private settle(): void {
    this.cancelSettle();
    if (this.isSettled) return;
    this.isSettled = true;
    this.reconcile();
  }

  private publish(): void {
    if (!this.current || !this.isSettled || !this.deps.connected()) return;
    const sent = this.current;
    this.inFlight = sent;
    void this.deps.send(sent).then((ok) => {
      if (this.inFlight === sent) this.inFlight = undefined;
      if (ok && this.current === sent && this.isPending) {
        this.isPending = false;
        this.deps.save();
      }
    });
  }

  private reconcile(): void {
    const step = reconcileStep({
      settled: this.isSettled,
      local: this.current,
      remote: this.remote,
      pending: this.isPending,
      mayAssumeAvailable: this.mayAssumeAvailable,
      inFlight: this.inFlight,
    });
    switch (step) {
      case 'adopt':
        this.current = this.remote ?? undefined;
        this.isPending = false;
        this.deps.save();
        this.deps.changed();
        return;
      case 'assume-available':
        this.set(this.deps.initial());
        this.deps.changed();
        return;
      case 'stay-unknown':
        this.deps.changed();
        return;
      case 'publish':
        this.publish();
        return;
      case 'confirm':
        this.isPending = false;
        this.deps.save();
        return;
      case 'wait':
      case 'nothing':
        return;
    }
  }
}
