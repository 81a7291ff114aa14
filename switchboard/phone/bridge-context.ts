// What the phone bridge's features share: the organisation, its phone system, the contract session
// (the broker's side), the phone bus (the phone system's side: what the adapter reports, and what the
// features tell each other about it) and the phone link's state. Each feature keeps its own values.
import { EventBus, type Handlers } from '../../events/bus.js';
import { type Feature, listening, startFeatures, stopFeatures } from '../../events/feature.js';
import type { Logger } from '../../log/logger.js';
import type { LineState, Message, PhoneLink } from '../../protocol/index.js';
import type { ContractSession, SessionEvents } from '../../session/contract-session.js';
import type { CallEvent, ExtCallReport, PhoneSystem, QueueSnapshot } from './port.js';

/** The phone system's side, as the bridge's features hear it. */
export interface PhoneEvents {
  /** a queue as the phone system sees it now */
  snapshot: QueueSnapshot;
  /** one call event, perhaps one the phone system sent before */
  call: CallEvent;
  /** the voicemails waiting for an extension */
  voicemail: { ext: string; count: number };
  /** an extension's line changed */
  line: { ext: string; state: LineState['state']; at: number };
  /** one step of a call to an extension, perhaps one reported before */
  extCall: ExtCallReport;
  /** the adapter's word on reachability: every report, repeats too */
  reachable: { up: boolean; detail?: string };
  /** phone/link changed (the link feature's decision on the reports); down makes every value stale */
  linkChanged: PhoneLink;
}

export interface BridgeContext {
  org: string;
  phone: PhoneSystem;
  session: ContractSession;
  phoneBus: EventBus<PhoneEvents>;
  log: Logger;
  now: () => number;
  link: {
    current: PhoneLink;
    /** the adapter has reported once: until then "down" is only "not known yet" */
    known: boolean;
  };
  stats: { faults: number; duplicates: number };
}

export const iso = (ms: number) => new Date(ms).toISOString();

export function createBridgeContext(
  options: Omit<BridgeContext, 'phoneBus' | 'link' | 'stats'>,
): BridgeContext {
  const { phone, now } = options;
  return {
    ...options,
    phoneBus: new EventBus<PhoneEvents>(options.log),
    link: {
      current: { v: 1, up: false, since: iso(now()), system: phone.system, detail: 'starting' },
      known: false,
    },
    stats: { faults: 0, duplicates: 0 },
  };
}

/** phone/link down now, for the will and a clean stop: the bridge itself is away. */
export function linkDown(ctx: Pick<BridgeContext, 'org' | 'phone' | 'now'>, detail: string): Message {
  const body: PhoneLink = { v: 1, up: false, since: iso(ctx.now()), system: ctx.phone.system, detail };
  return { kind: 'phone-link', org: ctx.org, body };
}

/** The phone system is known to be unreachable (not merely not heard from yet). */
export const phoneDown = (ctx: BridgeContext) => ctx.link.known && !ctx.link.current.up;

/**
 * Publishes only while connected: whatever changes offline goes out as the latest value when each
 * feature republishes what it owns on the next `subscribed`.
 */
export function publish(ctx: BridgeContext, message: Message): void {
  void ctx.session.send(message);
}

/** A bridge feature hears both sides: the broker (the session's bus) and the phone system. */
export function hearing(
  ctx: BridgeContext,
  handlers: { broker?: Handlers<SessionEvents>; phone?: Handlers<PhoneEvents> },
): Feature {
  const both = [
    listening(ctx.session.bus, handlers.broker ?? {}),
    listening(ctx.phoneBus, handlers.phone ?? {}),
  ];
  return { start: () => startFeatures(both), stop: () => stopFeatures(both) };
}
