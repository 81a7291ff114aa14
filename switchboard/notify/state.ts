// What the notifier keeps across restarts, in one small JSON file replaced atomically
// (config/atomic-file.ts): each open message's delivery per channel (so a restart neither sends a mail
// twice nor forgets one still to retry), the links already used (so each works once), the nudges sent
// and the department alarms told (once per episode). No message text and no address is kept: those
// come back with the retained message and the directory after a restart.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomically } from '../../config/atomic-file.js';
import { ChannelDelivery } from '../../protocol/index.js';
import { PushSubscription } from './push.js';

const Delivery = z.object({ email: ChannelDelivery.optional(), sms: ChannelDelivery.optional() });
export type Delivery = z.infer<typeof Delivery>;

const StateFile = z.object({
  v: z.literal(1),
  /** `{ext}/{messageId}` → how its delivery went */
  deliveries: z.record(z.string(), Delivery).default({}),
  /** linkKey → its expiry (ms): used links, kept until they would have expired anyway */
  used: z.record(z.string(), z.number()).default({}),
  /** `{ext}` → the referral (`{since}|{until}`) last nudged */
  nudged: z.record(z.string(), z.string()).default({}),
  /** department id → the start (ms) of the "whole department away" episode its manager was told of */
  alarms: z.record(z.string(), z.number()).default({}),
  /** `{ext}` → the staff page's push subscriptions (a phone, a desktop browser) */
  push: z.record(z.string(), z.array(PushSubscription)).default({}),
});
type StateData = z.infer<typeof StateFile>;

export class NotifyState {
  private data: StateData;

  /** `path` undefined: kept in memory only (tests, a trial run) */
  constructor(private readonly path: string | undefined) {
    this.data = { v: 1, deliveries: {}, used: {}, nudged: {}, alarms: {}, push: {} };
    if (path && existsSync(path)) {
      // a state file that does not parse is refused loudly: starting empty would mail everything again
      this.data = StateFile.parse(JSON.parse(readFileSync(path, 'utf8')));
    }
  }

  deliveries(): [string, Delivery][] {
    return Object.entries(this.data.deliveries);
  }
  delivery(key: string): Delivery | undefined {
    return this.data.deliveries[key];
  }
  setDelivery(key: string, delivery: Delivery | undefined): void {
    if (delivery) this.data.deliveries[key] = delivery;
    else delete this.data.deliveries[key];
    this.save();
  }

  /** Marks the link used; false when it already was. Forgets links past their expiry. */
  useLink(key: string, exp: number, now: number): boolean {
    for (const [k, e] of Object.entries(this.data.used)) if (e <= now) delete this.data.used[k];
    if (key in this.data.used) return false;
    this.data.used[key] = exp;
    this.save();
    return true;
  }

  nudged(ext: string): string | undefined {
    return this.data.nudged[ext];
  }
  setNudged(ext: string, referral: string | undefined): void {
    if (this.data.nudged[ext] === referral) return;
    if (referral === undefined) delete this.data.nudged[ext];
    else this.data.nudged[ext] = referral;
    this.save();
  }

  alarm(department: string): number | undefined {
    return this.data.alarms[department];
  }
  setAlarm(department: string, since: number | undefined): void {
    if (this.data.alarms[department] === since) return;
    if (since === undefined) delete this.data.alarms[department];
    else this.data.alarms[department] = since;
    this.save();
  }

  pushSubscriptions(ext: string): readonly PushSubscription[] {
    return this.data.push[ext] ?? [];
  }
  /** Adds (or renews) one of the person's subscriptions; the oldest go beyond `max`. */
  addPushSubscription(ext: string, subscription: PushSubscription, max = 5): void {
    const others = this.pushSubscriptions(ext).filter((s) => s.endpoint !== subscription.endpoint);
    this.data.push[ext] = [...others, subscription].slice(-max);
    this.save();
  }
  dropPushSubscription(ext: string, endpoint: string): void {
    const left = this.pushSubscriptions(ext).filter((s) => s.endpoint !== endpoint);
    if (left.length > 0) this.data.push[ext] = left;
    else delete this.data.push[ext];
    this.save();
  }

  private save(): void {
    if (this.path) writeFileAtomically(this.path, `${JSON.stringify(this.data)}\n`);
  }
}
