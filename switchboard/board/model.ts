// The board's in-memory model: everything the operators see, rebuilt from the MQTT contract alone
// (directory, presences, device states, mwi, queues). Pure and O(1) per message so it holds 50,000
// people; each change is reported as a compact delta for the page.
import {
  type AltAnswer,
  type Department,
  decode,
  type Message,
  type OrgInfo,
  type Person,
  type PhoneMessage,
  type Presence,
  type Queue,
  type RejectionCounter,
  supersedes,
} from '../../protocol/index.js';

/** One line on the board: a person (from the directory) and/or an extension with state. */
export interface Row {
  org: string;
  ext: string;
  /** null while the directory has not (or no longer) named this extension */
  name: string | null;
  department: string | null;
  title: string | null;
  direct: string | null;
  mobile: string | null;
  /** null until a presence arrives: the desk has never reported */
  status: Presence['status'] | null;
  reason: string | null;
  since: string | null;
  until: string | null;
  alt: AltAnswer | null;
  note: string | null;
  voicemail: number;
  messages: number;
  /** the open phone messages themselves (null when none); the server sends them only to those who may read them */
  phoneMessages: PhoneMessage[] | null;
  /** true when any desk device of this extension is online, false when all are offline, null when none known */
  online: boolean | null;
}

export type Delta =
  | { type: 'row'; row: Row }
  | { type: 'row-removed'; org: string; ext: string }
  | { type: 'department'; org: string; id: string; department: Department | null }
  | { type: 'queue'; org: string; id: string; queue: Queue | null }
  | { type: 'org'; org: string; info: OrgInfo | null };

export interface Snapshot {
  orgs: Record<string, OrgInfo>;
  departments: { org: string; id: string; department: Department }[];
  queues: { org: string; id: string; queue: Queue }[];
  rows: Row[];
}

interface Entry {
  org: string;
  ext: string;
  person: Person | null;
  presence: Presence | null;
  voicemail: number;
  messages: number;
  phoneMessages: PhoneMessage[] | null;
  /** deviceId → online */
  devices: Map<string, boolean>;
  row: Row;
}

interface DeviceRecord {
  ext: string | undefined;
  online: boolean;
}

const key = (org: string, id: string) => `${org}/${id}`;

function buildRow(e: Entry): Row {
  const p = e.presence;
  const online = e.devices.size === 0 ? null : [...e.devices.values()].some(Boolean);
  return {
    org: e.org,
    ext: e.ext,
    name: e.person?.name ?? null,
    department: e.person?.department ?? null,
    title: e.person?.title ?? null,
    direct: e.person?.direct ?? null,
    mobile: e.person?.mobile ?? null,
    status: p?.status ?? null,
    reason: p?.reason ?? null,
    since: p?.since ?? null,
    until: p?.until ?? null,
    alt: p?.alt ?? null,
    note: p?.note ?? null,
    voicemail: e.voicemail,
    messages: e.messages,
    phoneMessages: e.phoneMessages,
    online,
  };
}

export type DeltaListener = (delta: Delta) => void;

export class BoardModel {
  readonly orgs = new Map<string, OrgInfo>();
  readonly departments = new Map<string, { org: string; id: string; department: Department }>();
  readonly queues = new Map<string, { org: string; id: string; queue: Queue }>();
  private readonly entries = new Map<string, Entry>();
  private readonly devices = new Map<string, DeviceRecord>();
  private readonly listeners = new Set<DeltaListener>();
  /** messages applied, and those ignored as stale (an older presence arriving late) */
  readonly stats = { applied: 0, stale: 0 };

  constructor(private readonly rejections?: RejectionCounter) {}

  get size(): number {
    return this.entries.size;
  }

  row(org: string, ext: string): Row | undefined {
    return this.entries.get(key(org, ext))?.row;
  }

  /** The presence the board holds for an extension (the newest seen), for acting on someone's behalf. */
  currentPresence(org: string, ext: string): Presence | null {
    return this.entries.get(key(org, ext))?.presence ?? null;
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

  snapshot(): Snapshot {
    return {
      orgs: Object.fromEntries(this.orgs),
      departments: [...this.departments.values()],
      queues: [...this.queues.values()],
      rows: [...this.entries.values()].map((e) => e.row),
    };
  }

  private dispatch(m: Message): boolean {
    switch (m.kind) {
      case 'presence':
        return this.presence(m.org, m.ext, m.body);
      case 'directory-person':
        return this.update(m.org, m.ext, (e) => {
          e.person = m.body;
        });
      case 'mwi':
        return this.update(m.org, m.ext, (e) => {
          e.voicemail = m.body?.voicemail ?? 0;
          e.messages = m.body?.messages.length ?? 0;
          e.phoneMessages = m.body?.messages.length ? m.body.messages : null;
        });
      case 'device-state':
        return this.deviceState(m.org, m.deviceId, m.body);
      case 'directory-department': {
        const k = key(m.org, m.departmentId);
        if (m.body) this.departments.set(k, { org: m.org, id: m.departmentId, department: m.body });
        else if (!this.departments.delete(k)) return false;
        this.emit({ type: 'department', org: m.org, id: m.departmentId, department: m.body });
        return true;
      }
      case 'queue': {
        const k = key(m.org, m.queueId);
        if (m.body) this.queues.set(k, { org: m.org, id: m.queueId, queue: m.body });
        else if (!this.queues.delete(k)) return false;
        this.emit({ type: 'queue', org: m.org, id: m.queueId, queue: m.body });
        return true;
      }
      case 'directory-org':
        if (m.body) this.orgs.set(m.org, m.body);
        else if (!this.orgs.delete(m.org)) return false;
        this.emit({ type: 'org', org: m.org, info: m.body });
        return true;
      default:
        return false;
    }
  }

  private presence(org: string, ext: string, body: Presence | null): boolean {
    const current = this.entries.get(key(org, ext))?.presence;
    // Newest wins by the contract's shared order (seq, then actor): a late older presence is ignored.
    if (body && !supersedes(body, current)) {
      this.stats.stale++;
      return false;
    }
    return this.update(org, ext, (e) => {
      e.presence = body;
    });
  }

  private deviceState(
    org: string,
    deviceId: string,
    body: { online: boolean; ext?: string } | null,
  ): boolean {
    const k = key(org, deviceId);
    const previous = this.devices.get(k);
    // A will may omit ext: the device keeps the extension its birth message named.
    const ext = body ? (body.ext ?? previous?.ext) : undefined;
    if (body) this.devices.set(k, { ext, online: body.online });
    else this.devices.delete(k);
    let changed = false;
    if (previous?.ext && previous.ext !== ext) {
      changed = this.update(org, previous.ext, (e) => {
        e.devices.delete(deviceId);
      });
    }
    if (ext && body) {
      changed =
        this.update(org, ext, (e) => {
          e.devices.set(deviceId, body.online);
        }) || changed;
    }
    return changed;
  }

  /** Mutates (or creates) an entry, rebuilds its row, emits it; drops the entry once nothing is left. */
  private update(org: string, ext: string, mutate: (e: Entry) => void): boolean {
    const k = key(org, ext);
    let e = this.entries.get(k);
    if (!e) {
      e = {
        org,
        ext,
        person: null,
        presence: null,
        voicemail: 0,
        messages: 0,
        phoneMessages: null,
        devices: new Map(),
        row: undefined as unknown as Row,
      };
    }
    mutate(e);
    if (!e.person && !e.presence && e.voicemail === 0 && e.messages === 0 && e.devices.size === 0) {
      if (!this.entries.delete(k)) return false;
      this.emit({ type: 'row-removed', org, ext });
      return true;
    }
    const row = buildRow(e);
    if (e.row && sameRow(e.row, row)) return false;
    e.row = row;
    this.entries.set(k, e);
    this.emit({ type: 'row', row });
    return true;
  }

  private emit(delta: Delta): void {
    for (const listener of this.listeners) listener(delta);
  }
}

function sameRow(a: Row, b: Row): boolean {
  for (const k of Object.keys(a) as (keyof Row)[]) {
    if (k === 'alt' || k === 'phoneMessages') {
      if (a[k] !== b[k] && JSON.stringify(a[k]) !== JSON.stringify(b[k])) return false;
    } else if (a[k] !== b[k]) return false;
  }
  return true;
}
