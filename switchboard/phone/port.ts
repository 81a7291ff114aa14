// The one port every phone system sits behind, the way hardware/port.ts is the port for key panels:
// the SIP adapter (any PBX), the webhook adapter (hosted PBXs, contact centres), the Trio Enterprise
// adapter (its referral API) and the simulator.
// The bridge (bridge.ts) speaks only this; it owns the MQTT side (queue/…, voicemail/…, call/…,
// phone/link) and hands each referral change to the adapter.
import type {
  ExtCallEvent,
  Language,
  LineState,
  Presence,
  QueuedCall,
  SwitchboardService,
} from '../../protocol/index.js';

/** A queue as the phone system sees it now. */
export interface QueueSnapshot {
  queueId: string;
  name?: string;
  waiting: number;
  /** epoch ms the longest-waiting call entered; null when empty */
  oldestSince: number | null;
  /** in queue order, where the phone system knows positions */
  calls?: QueuedCall[];
}

/** One call in a queue. `id` is the phone system's event id: the bridge drops one it has seen. */
export interface CallEvent {
  id: string;
  queueId: string;
  call: string;
  event: 'entered' | 'answered' | 'abandoned';
  at: number;
  enteredAt?: number;
  position?: number;
  ext?: string;
}

/**
 * One step of a call to a person's extension (extcall/{ext}), `at` in epoch ms. `id` is unique and
 * stable for the step: the bridge drops one it has seen.
 */
export type ExtCallReport = Omit<ExtCallEvent, 'v' | 'at'> & { ext: string; at: number };

/** A call the phone system asks hanvisa where to ring (SIP: an INVITE to the bridge's redirect server). */
export interface CallQuery {
  /** the phone system's call id (SIP Call-ID): joins the steps of one call */
  call: string;
  /** the extension called */
  called: string;
  /** the caller's extension or user, where known */
  from?: string;
  /** the phone system marked it a transfer (SIP Referred-By) */
  referred: boolean;
  /** the phone system asks again: the desk or colleague rang out, or was busy */
  outcome?: 'unanswered' | 'busy';
}

/** hanvisa's answer: where the call rings, for how long, and what the ringing phone is told. */
export interface CallDecision {
  target: string;
  /** ring this long, then ask again with the outcome; absent: ring until the caller gives up */
  ringLimitSeconds?: number;
  /** the call left the extension called, and why (RFC 5806 Diversion reasons) */
  diverted?: 'away' | 'no-answer' | 'user-busy';
  /** the referral as text for the phone that rings: "Lunch, tillbaka 13:00" */
  note?: string;
}

export interface PhoneListener {
  queue(snapshot: QueueSnapshot): void;
  call(event: CallEvent): void;
  /** the voicemails waiting for an extension (new messages; a phone's lamp shows these) */
  voicemail(ext: string, count: number): void;
  /** an extension's line is now idle, ringing or in a call (since `at`, epoch ms) */
  line(ext: string, state: LineState['state'], at: number): void;
  extCall(event: ExtCallReport): void;
  /** the phone system became reachable or not; adapters report every change, the bridge dedupes */
  link(up: boolean, detail?: string): void;
  /** bad input from the phone system: counted and logged by the bridge, never thrown */
  fault(error: Error): void;
  /**
   * Where a call rings (features/routing.ts); undefined while the bridge cannot tell (no referrals heard
   * yet): the phone system then rings the desk as if there were no hanvisa. Answers at once, from memory.
   */
  route?(query: CallQuery): CallDecision | undefined;
}

/** A referral change, as the phone system needs it: reason with its label, return time, alternative. */
export interface Referral {
  ext: string;
  presence: Presence;
  /** the reason's label in the organisation's language ("Lunch"), for notes and displays */
  label?: string;
  /** the reason is private (sick): the phone system learns only "away" */
  private?: boolean;
  /** the organisation's language and zone, for "back 13:00" */
  locale: Language;
  timeZone: string;
}

export interface PhoneSystem {
  /** which adapter, for phone/link: sip, webhook, trio, simulator */
  readonly system: string;
  /** Starts the adapter. Resolves once it runs, even when the phone system is not (yet) reachable. */
  open(listener: PhoneListener): Promise<void>;
  /** A person's referral changed (or is republished after a reconnect); adapters must be idempotent. */
  referralChanged(referral: Referral): void;
  /**
   * The bridge wants to know whether this person's phone is idle, ringing or in a call (listener.line)
   * and of the calls answered there; once per extension, repeats change nothing. Absent: the phone
   * system cannot tell.
   */
  watchLine?(ext: string): void;
  /**
   * issue 23: the switchboard opened, closed or closed for lunch (switchboard-service, retained; again
   * after a reconnect): an adapter that can switch the phone system's night service does so here. The
   * SIP adapter has no standard request for it and leaves it to the PBX's own time rules (docs/phone.md).
   */
  serviceChanged?(service: SwitchboardService): void;
  close(): Promise<void>;
}

/** What `hanvisa phone` hands each phone system's `create` (systems.ts) besides its settings. */
export interface PhoneSystemNeeds {
  org: string;
  /** the folder of the bridge's config file, where a phone system keeps its state by default */
  configDir: string;
}
