// The board's in-memory model: everything the operators see, rebuilt from the MQTT contract alone
// (directory, presences, device states, mwi, voicemail, queues, calendar feed status). Pure and O(1) per message so it holds 50,000
// people; each change is reported as a compact delta for the page.
import type { Logger } from '../../log/logger.js';
import {
  type Department,
  decode,
  type ExtCallEvent,
  type Message,
  type Mwi,
  type MwiDelivery,
  type OrgInfo,
  type Person,
  type PhoneLink,
  type Presence,
  type Queue,
  type RejectionCounter,
  supersedes,
} from '../../protocol/index.js';
import { MessageBox } from '../../rules/message-box.js';
import { voicemailSince } from '../../rules/messages.js';
import { type BindingChange, DeviceBindings } from './device-bindings.js';
import { devicesShown } from './device-row.js';
import {
  buildRow,
  type Entry,
  isEmpty,
  key,
  newEntry,
  rowOf,
  sameJson,
  samePersonView,
  samePresenceView,
} from './entry.js';
import { EntryIndex } from './entry-index.js';
import type { Row } from './row.js';
import { calendarOnRow, lineOnRow } from './row-parts.js';

export type Delta =
  | { type: 'row'; row: Row }
  /** a call to `ext` the phone bridge routed to the switchboard (extcall/{ext}): a live notice, not state */
  | { type: 'call'; org: string; ext: string; call: ExtCallEvent }
  | { type: 'row-removed'; org: string; ext: string }
  | { type: 'department'; org: string; id: string; department: Department | null }
  | { type: 'queue'; org: string; id: string; queue: Queue | null }
  | { type: 'org'; org: string; info: OrgInfo | null }
  | { type: 'phone-link'; org: string; link: PhoneLink | null };

export interface Snapshot {
  orgs: Record<string, OrgInfo>;
  /** per organisation, whether the phone bridge reaches its phone system (a banner while down) */
  phoneLinks: Record<string, PhoneLink>;
  departments: { org: string; id: string; department: Department }[];
  queues: { org: string; id: string; queue: Queue }[];
  rows: Row[];
}

export type DeltaListener = (delta: Delta) => void;

export class BoardModel {
  readonly orgs = new Map<string, OrgInfo>();
  readonly phoneLinks = new Map<string, PhoneLink>();
  readonly departments = new Map<string, { org: string; id: string; department: Department }>();
  readonly queues = new Map<string, { org: string; id: string; queue: Queue }>();
  private readonly entries = new EntryIndex();
  private readonly devices = new DeviceBindings();
  private readonly box = new MessageBox();
  private readonly listeners = new Set<DeltaListener>();
  /**
   * messages applied, those ignored as stale (an older presence arriving late), and device states
   * refused for naming another extension than IT assigned
   */
  readonly stats = { applied: 0, stale: 0, deviceRefused: 0 };

  constructor(
    private readonly rejections?: RejectionCounter,
    private readonly log?: Logger,
    /** when a voicemail count rose, where the phone system does not say (issue 23) */
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  row(org: string, ext: string): Row | undefined {
    const e = this.entries.get(org, ext);
    return e && rowOf(e);
  }

  /** The presence the board holds for an extension (the newest seen), for acting on someone's behalf. */
  currentPresence(org: string, ext: string): Presence | null {
    return this.entries.get(org, ext)?.presence ?? null;
  }

  /** Listen to deltas; returns the unsubscribe function. */
  listen(listener: DeltaListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Decodes and applies raw MQTT input; a rejection is counted and changes nothing. */
  receive(topic: string, payload: Uint8Array): boolean {
    const result = decode(topic, payload);
    if (!result.ok) {
      this.rejections?.record(result);
      return false;
    }
    return this.apply(result.message);
  }

  /** Applies a decoded message; returns whether the board changed. Kinds the board does not show are ignored. */
  apply(message: Message): boolean {
    const changed = this.dispatch(message);
    if (changed) this.stats.applied++;
    return changed;
  }

  /** One organisation's rows, without building the whole board's snapshot. */
  rowsOf(org: string): Row[] {
    return Array.from(this.entries.ofOrg(org), rowOf);
  }

  snapshot(): Snapshot {
    return {
      orgs: Object.fromEntries(this.orgs),
      phoneLinks: Object.fromEntries(this.phoneLinks),
      departments: [...this.departments.values()],
      queues: [...this.queues.values()],
      rows: Array.from(this.entries.values(), rowOf),
    };
  }

  private dispatch(m: Message): boolean {
    switch (m.kind) {
      case 'presence':
        return this.presence(m.org, m.ext, m.body);
      case 'directory-person':
        return this.person(m.org, m.ext, m.body);
      case 'mwi-message':
        return this.mwi(
          m.org,
          m.ext,
          this.box.message(key(m.org, m.ext), m.messageId, m.body?.message ?? null),
        );
      case 'mwi':
        return this.mwi(m.org, m.ext, this.box.legacy(key(m.org, m.ext), m.body));
      case 'voicemail':
        return this.voicemail(m.org, m.ext, m.body?.count ?? 0, m.body?.oldestSince);
      case 'mwi-delivery':
        return this.delivery(m.org, m.ext, m.messageId, m.body);
      case 'device-state':
        return this.rebind(m.org, m.deviceId, this.devices.state(key(m.org, m.deviceId), m.body));
      case 'device-config':
        return this.rebind(
          m.org,
          m.deviceId,
          this.devices.config(key(m.org, m.deviceId), m.body?.ext ?? null),
        );
      case 'calendar-status': {
        const failing = this.shown(m.org, m.ext, 'calendar', calendarOnRow(m.body));
        const next = this.shown(m.org, m.ext, 'nextAbsence', m.body?.next ?? null);
        return failing || next;
      }
      case 'line':
        return this.shown(m.org, m.ext, 'line', lineOnRow(m.body));
      case 'ext-call':
        // a call that came to the switchboard for someone: the operator's live notice
        if (m.body.event !== 'routed' || m.body.to !== 'switchboard') return false;
        this.emit({ type: 'call', org: m.org, ext: m.ext, call: m.body });
        return true;
      case 'directory-department': {
        const value = m.body && { org: m.org, id: m.departmentId, department: m.body };
        return this.keep(this.departments, key(m.org, m.departmentId), value, {
          type: 'department',
          org: m.org,
          id: m.departmentId,
          department: m.body,
        });
      }
      case 'queue': {
        const value = m.body && { org: m.org, id: m.queueId, queue: m.body };
        return this.keep(this.queues, key(m.org, m.queueId), value, {
          type: 'queue',
          org: m.org,
          id: m.queueId,
          queue: m.body,
        });
      }
      case 'directory-org':
        return this.keep(this.orgs, m.org, m.body, { type: 'org', org: m.org, info: m.body });
      case 'phone-link':
        return this.keep(this.phoneLinks, m.org, m.body, { type: 'phone-link', org: m.org, link: m.body });
      default:
        return false;
    }
  }

  /** An organisation-wide value kept or removed (null); removing one the board never had changes nothing. */
  private keep<V>(map: Map<string, V>, k: string, value: V | null, delta: Delta): boolean {
    if (value) map.set(k, value);
    else if (!map.delete(k)) return false;
    this.emit(delta);
    return true;
  }

  // One handler per kind, each with a single lookup and no closure: the retained burst at start runs
  // 100,000 of these back to back (docs/board.md, Figures: cold start).

  private presence(org: string, ext: string, body: Presence | null): boolean {
    const e = this.entries.get(org, ext);
    const before = e ? e.presence : null;
    // Newest wins by the contract's shared order (seq, then actor): a late older presence is ignored.
    if (body && !supersedes(body, before)) {
      this.stats.stale++;
      return false;
    }
    if (!e) {
      if (!body) return false;
      const added = newEntry(org, ext);
      added.presence = body;
      return this.add(added);
    }
    e.presence = body;
    return this.changed(e, samePresenceView(before, body));
  }

  private person(org: string, ext: string, body: Person | null): boolean {
    const e = this.entries.get(org, ext);
    if (!e) {
      if (!body) return false;
      const added = newEntry(org, ext);
      added.person = body;
      return this.add(added);
    }
    const before = e.person;
    e.person = body;
    return this.changed(e, samePersonView(before, body));
  }

  private mwi(org: string, ext: string, body: Mwi | null): boolean {
    const messages = body?.messages.length ?? 0;
    const phoneMessages = body?.messages.length ? body.messages : null;
    let e = this.entries.get(org, ext);
    const isNew = !e;
    e ??= newEntry(org, ext);
    const same = e.messages === messages && sameJson(e.phoneMessages, phoneMessages);
    e.messages = messages;
    e.phoneMessages = phoneMessages;
    return isNew ? this.add(e) : this.changed(e, same);
  }

  /** mwi/{ext}/delivery/{id}: a message counts as undelivered while any channel is not sent. */
  private delivery(org: string, ext: string, id: string, body: MwiDelivery | null): boolean {
    const undelivered = !!body && [body.email, body.sms].some((c) => c !== undefined && c.state !== 'sent');
    const e = this.entries.get(org, ext);
    // a status for a person the board does not know yet: kept only once there is a row to show it on
    if (!e) return false;
    const had = e.undelivered?.has(id) ?? false;
    if (had === undelivered) return false;
    if (undelivered) {
      e.undelivered ??= new Set();
      e.undelivered.add(id);
    } else if (e.undelivered?.delete(id) && e.undelivered.size === 0) e.undelivered = null;
    return this.changed(e, false);
  }

  /** voicemail/{ext}: its own topic and writer, so it never touches the phone messages (and back). */
  private voicemail(org: string, ext: string, count: number, reported: string | undefined): boolean {
    let e = this.entries.get(org, ext);
    const isNew = !e;
    e ??= newEntry(org, ext);
    const since = voicemailSince(
      { count: e.voicemail, since: e.voicemailSince },
      count,
      reported,
      new Date(this.now()),
    );
    const same = e.voicemail === count && e.voicemailSince === since;
    e.voicemail = count;
    e.voicemailSince = since;
    return isNew ? this.add(e) : this.changed(e, same);
  }

  /** A part of the row worked out from one topic of its own (calendar/{ext} and its next absence, line/{ext}); null shows nothing. */
  private shown<F extends 'calendar' | 'nextAbsence' | 'line'>(
    org: string,
    ext: string,
    field: F,
    value: Entry[F],
  ): boolean {
    let e = this.entries.get(org, ext);
    if (!e && !value) return false;
    const isNew = !e;
    e ??= newEntry(org, ext);
    const same = sameJson(e[field], value);
    e[field] = value;
    return isNew ? this.add(e) : this.changed(e, same);
  }

  /** Moves a device between rows as its binding (assignment + state, device-bindings.ts) changes. */
  private rebind(org: string, deviceId: string, change: BindingChange): boolean {
    if (change.refused) {
      this.stats.deviceRefused++;
      this.log?.warn('device state names another extension than its assignment: not shown', {
        org,
        deviceId,
        ...change.refused,
      });
    }
    const { before, after } = change;
    let changed = false;
    if (before && before.ext !== after?.ext) {
      const e = this.entries.get(org, before.ext);
      if (e?.devices) {
        const was = devicesShown(e.devices);
        e.devices.delete(deviceId);
        changed = this.changed(e, was === devicesShown(e.devices));
      }
    }
    if (after) {
      const shown = {
        online: after.online,
        warnings: after.warnings,
        versions: after.versions,
        panelConnected: after.panelConnected,
      };
      const e = this.entries.get(org, after.ext);
      if (!e) {
        const added = newEntry(org, after.ext);
        added.devices = new Map([[deviceId, shown]]);
        changed = this.add(added) || changed;
      } else {
        const was = devicesShown(e.devices);
        e.devices ??= new Map();
        e.devices.set(deviceId, shown);
        changed = this.changed(e, was === devicesShown(e.devices)) || changed;
      }
    }
    return changed;
  }

  /** Stores a new entry unless the message left nothing to show. */
  private add(e: Entry): boolean {
    if (isEmpty(e)) return false;
    this.entries.add(e);
    return this.touched(e);
  }

  /** After a mutation of a stored entry: drops it once nothing is left, else reports it unless `same`. */
  private changed(e: Entry, same: boolean): boolean {
    if (isEmpty(e)) {
      this.entries.delete(e);
      this.emit({ type: 'row-removed', org: e.org, ext: e.ext });
      return true;
    }
    if (same) return false;
    return this.touched(e);
  }

  /** A changed row is built and sent now if anyone listens, else only when first asked for (row, snapshot). */
  private touched(e: Entry): true {
    if (this.listeners.size === 0) {
      e.row = null;
      return true;
    }
    const row = buildRow(e);
    e.row = row;
    this.emit({ type: 'row', row });
    return true;
  }

  private emit(delta: Delta): void {
    for (const listener of this.listeners) listener(delta);
  }
}
