// The figures as a pure reducer over the recorded events, in receipt order: each event first settles
// the time since the last one (alarm minutes, desks offline, recorder gaps), then changes the state.
// Time is the receipt time: the figures say what the switchboard knew when, as the board showed it.
// Durations are counted lazily, when a condition ends or at flush(), so an event costs O(1).
// This file handles each kind of event; the rows and the settling of time are the Ledger's (ledger.ts).

import {
  DEFAULT_REASONS,
  type Department,
  type DeviceState as DeviceBody,
  type ExtCallEvent,
  type Mwi,
  type MwiMessage,
  type OrgInfo,
  type Person,
  type PhoneMessage,
  type Presence,
  type Queue,
} from '../../../protocol/index.js';
import { callbackDeadline } from '../../../rules/messages.js';
import { DEFAULT_POLICY } from '../../../rules/policy.js';
import { type CallEvent, coversOrg, type RecordedEvent } from '../recorded-events.js';
import { extCall, queueCall, queueSnapshot } from './calls.js';
import { forkState, RowsOverlay } from './fork.js';
import { Ledger } from './ledger.js';
import { dayKey } from './periods.js';
import { DEFAULT_SETTINGS, deptOf, isPrivateReason, publicCodes } from './state.js';

/** Back this much before the return time counts as reopened early; this much after, as overdue. */
export const GRACE_MS = 60_000;

export class Timeline extends Ledger {
  /** A copy to go on from (fork.ts); this one must not change while the copy is in use. */
  fork(): Timeline {
    return new Timeline(forkState(this.state), new RowsOverlay(this.rows), new Map(this.alarms), this);
  }

  apply(event: RecordedEvent): void {
    const s = this.state;
    const t = Math.max(Math.floor(event.ord / 1000), s.t);
    if (event.kind === 'recorder') {
      this.recorder(event.body as { phase?: string; session?: string; orgs?: string[] }, t);
      return;
    }
    // an event while down: someone is recording again (its session's up may be stored later)
    this.up(t);
    this.checkDeadlines(t);
    s.t = t;
    const body = event.body;
    switch (event.kind) {
      case 'presence':
        this.presence(event.subject, body as Presence | null, t);
        return;
      case 'directory-person': {
        const prev = s.people[event.subject] ?? {
          dept: null,
          status: null,
          reason: null,
          since: null,
          until: null,
        };
        const person = body as Person | null;
        const { hours: _, ...rest } = prev;
        this.setPerson(
          event.subject,
          {
            ...rest,
            dept: person?.department ?? null,
            ...(person?.phoneHours?.length ? { hours: person.phoneHours } : {}),
          },
          t,
        );
        return;
      }
      case 'directory-department': {
        const d = deptOf(s, event.subject);
        this.settleDept(event.subject, d, t);
        const dept = body as Department | null;
        d.hours = dept?.phoneHours ?? [];
        d.mustAnswer = dept?.mustAnswer ?? false;
        d.queue = dept?.queue ?? null;
        return;
      }
      case 'directory-org': {
        const org = body as OrgInfo | null;
        if (!org) return;
        this.flush(t);
        s.settings = {
          ...s.settings,
          timeZone: org.timeZone,
          workday: org.workday,
          // working days and holidays judge phone hours, desk hours and callback deadlines alike
          workdays: org.workdays ?? DEFAULT_SETTINGS.workdays,
          holidays: org.holidays ?? [],
          onReturn: org.onReturn,
          callback: org.callback,
          publicReasons: publicCodes(org.reasons ?? DEFAULT_REASONS),
        };
        return;
      }
      case 'device-state':
        this.device(event.subject, body as DeviceBody | null, t);
        return;
      case 'mwi':
        // a board's copy of the mwi-message topics, for old desks: those topics are recorded already
        if (!(body as Mwi | null)?.copy) this.mwi(event.subject, body as Mwi | null, t);
        return;
      case 'mwi-message': {
        const [ext = '', id = ''] = event.subject.split('/');
        const held = body as MwiMessage | null;
        if (held) this.messageTaken(ext, held.message, t, true);
        else this.messageHandled(ext, id, t);
        return;
      }
      case 'queue':
        queueSnapshot(this.callRows, event.subject, body as Queue | null, t);
        return;
      case 'call':
        queueCall(s, this.callRows, body as CallEvent, t);
        return;
      case 'ext-call':
        extCall(s, this.callRows, event.subject, body as ExtCallEvent, t);
        return;
      default:
        return;
    }
  }

  /**
   * A recorder session's up or down. Sessions may overlap (a rolling restart, two recorders on one
   * store): the time is unrecorded only once the last live session is down. A down of a session this
   * state never saw up (one saved before sessions were tracked), or one naming no session (the page's
   * "down since its last heartbeat"), counts as down when no other session is known to be live.
   */
  private recorder(body: { phase?: string; session?: string; orgs?: string[] }, t: number): void {
    const s = this.state;
    // a session that recorded other organisations says nothing about this one
    if (!coversOrg(body, s.org)) return;
    const live = new Set(s.live ?? []);
    if (body.phase === 'up' && body.session) live.add(body.session);
    if (body.phase === 'down') {
      if (body.session === undefined) live.clear();
      else live.delete(body.session);
    }
    s.live = [...live];
    if (body.phase === 'down' && live.size === 0) this.down(t);
    else if (body.phase === 'up') this.up(t);
  }

  private down(t: number): void {
    const s = this.state;
    if (s.downSince !== null) return;
    this.flush(t);
    // Nothing is known while nobody listens: states restart from what the broker re-delivers. The
    // referral's identity (reason, since) stays, so its re-delivery is not counted as a new one.
    for (const [ext, p] of Object.entries(s.people))
      this.setPerson(ext, { ...p, status: null, until: null }, t);
    for (const d of Object.values(s.depts)) d.alarm = null;
    for (const dev of Object.values(s.devices)) dev.offlineSince = null;
    for (const open of Object.values(s.messages)) for (const m of Object.values(open)) m.gap = true;
    s.calls = {};
    s.extCalls = {};
    s.downSince = t;
  }

  private up(t: number): void {
    const s = this.state;
    if (s.downSince === null) return;
    this.flush(t);
    s.downSince = null;
  }

  private presence(ext: string, p: Presence | null, t: number): void {
    const prev = this.state.people[ext];
    const until = p?.until ? Date.parse(p.until) : null;
    // a private referral's return time is the person's own matter (GDPR art. 5(1)(c), docs/recorder.md)
    if (
      prev?.status === 'away' &&
      prev.until !== null &&
      !isPrivateReason(this.state.settings, prev.reason)
    ) {
      const late = t - prev.until;
      if (p?.status === 'available' && -late >= GRACE_MS) this.addPerson(t, ext, 'reopened_early');
      else if (
        late >= GRACE_MS &&
        this.state.settings.onReturn === 'overdue' &&
        (p?.status !== 'away' || until !== prev.until)
      ) {
        this.addPerson(t, ext, 'overdue');
        this.addPerson(t, ext, 'overdue_s', late / 1000);
        const day = dayKey(t, this.state.settings.timeZone);
        const dept = prev.dept ?? '';
        for (const row of [this.row(day, dept, ext), this.row(day, dept, '')])
          this.max(row, 'overdue_max_s', late / 1000);
      }
    }
    // a new referral, not an extension of the last one (same reason and start) nor its re-delivery after a gap
    if (p?.status === 'away' && (prev?.reason !== p.reason || prev?.since !== p.since))
      this.addPerson(t, ext, 'referrals', 1, p.reason ?? 'away');
    this.setPerson(
      ext,
      {
        dept: prev?.dept ?? null,
        status: p?.status ?? null,
        reason: p?.reason ?? null,
        since: p?.since ?? null,
        until,
        ...(prev?.hours ? { hours: prev.hours } : {}),
      },
      t,
    );
  }

  private device(id: string, body: DeviceBody | null, t: number): void {
    this.settleDevice(id, t);
    const dev = this.state.devices[id] ?? { ext: null, offlineSince: null };
    if (body?.ext) dev.ext = body.ext;
    dev.offlineSince = body && !body.online ? t : null;
    this.state.devices[id] = dev;
  }

  /**
   * The old single mwi/{ext} value (before one topic per message, and what was recorded then): a
   * message gone from it is handled, unless it is held on its own topic, where a converting board put
   * it before clearing the old value (docs/protocol.md, "Phone messages: one topic each").
   */
  private mwi(ext: string, body: Mwi | null, t: number): void {
    const now = new Set((body?.messages ?? []).map((m) => m.id));
    for (const [id, m] of Object.entries(this.state.messages[ext] ?? {}))
      if (!now.has(id) && !m.topic) this.messageHandled(ext, id, t);
    for (const m of body?.messages ?? []) this.messageTaken(ext, m, t, false);
  }

  private messageHandled(ext: string, id: string, t: number): void {
    const open = this.state.messages[ext];
    const m = open?.[id];
    if (!open || !m) return;
    this.addPerson(t, ext, 'messages_handled');
    if (!m.gap) {
      this.addPerson(t, ext, 'handle_s', Math.max(0, t - m.takenAt) / 1000);
      this.addPerson(t, ext, 'handle_n');
    }
    delete open[id];
  }

  private messageTaken(ext: string, m: PhoneMessage, t: number, topic: boolean): void {
    const open = this.state.messages[ext] ?? {};
    this.state.messages[ext] = open;
    const known = open[m.id];
    if (known) {
      if (topic) known.topic = true;
      return;
    }
    const policy = { ...DEFAULT_POLICY, ...this.state.settings };
    const takenAt = Date.parse(m.at);
    const deadline =
      m.callbackBy !== null
        ? Date.parse(m.callbackBy)
        : callbackDeadline(new Date(takenAt), policy).getTime();
    const entry = { takenAt, deadline, late: false, gap: false, ...(topic ? { topic } : {}) };
    open[m.id] = entry;
    const next = this.state.nextDeadline;
    if (next === null || (next !== undefined && deadline < next)) this.state.nextDeadline = deadline;
    this.addPerson(t, ext, 'messages_taken');
    if (deadline <= t) {
      entry.late = true;
      this.addPerson(t, ext, 'messages_late');
    }
  }
}
