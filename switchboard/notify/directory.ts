// What the notifier knows of the organisation, from the retained directory and referrals: people
// (name, e-mail, mobile, department), departments (phone hours), the organisation's settings (policy,
// language), whose extension has a desk (IT's device config), and each person's newest referral.
// Fed by the directory feature; read by every other.
import {
  DEFAULT_LANGUAGE,
  type Department,
  type Language,
  type OrgInfo,
  type Person,
  type Presence,
  supersedes,
} from '../../protocol/index.js';
import { type OrgPolicy, policyFromOrg } from '../../rules/policy.js';

export class Directory {
  readonly people = new Map<string, Person>();
  readonly departments = new Map<string, Department>();
  readonly presences = new Map<string, Presence>();
  /** device id → the extension IT assigned it */
  private readonly desks = new Map<string, string>();
  private org: OrgInfo | null = null;
  private cachedPolicy: OrgPolicy | undefined;

  setOrg(org: OrgInfo | null): void {
    this.org = org;
    this.cachedPolicy = undefined;
  }
  policy(): OrgPolicy {
    this.cachedPolicy ??= policyFromOrg(this.org);
    return this.cachedPolicy;
  }
  language(): Language {
    return this.org?.locale ?? DEFAULT_LANGUAGE;
  }
  orgName(): string | undefined {
    return this.org?.name;
  }
  orgInfo(): OrgInfo | null {
    return this.org;
  }

  setDesk(deviceId: string, ext: string | undefined): void {
    if (ext === undefined) this.desks.delete(deviceId);
    else this.desks.set(deviceId, ext);
  }
  /** whether a desk (a key panel) is assigned to the extension: its reason lamp does the nudging */
  hasDesk(ext: string): boolean {
    for (const e of this.desks.values()) if (e === ext) return true;
    return false;
  }

  /** keeps the newer of the held and the incoming referral (protocol's order); true when it changed */
  adoptPresence(ext: string, incoming: Presence): boolean {
    const held = this.presences.get(ext);
    if (held && !supersedes(incoming, held)) return false;
    this.presences.set(ext, incoming);
    return true;
  }
}
