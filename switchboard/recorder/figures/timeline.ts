// The figures as a pure reducer over the recorded events, in receipt order: each event first settles
// the time since the last one (alarm minutes, desks offline, recorder gaps), then changes the state.
// Time is the receipt time: the figures say what the switchboard knew when, as the board showed it.
// Durations are counted lazily, when a condition ends or at flush(), so an event costs O(1).

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
import { type CallRows, extCall, forgetOldCalls, queueCall, queueSnapshot } from './calls.js';
import { dayKey, dayStart, nextDay, spread, subtractWindows, windowsOn } from './periods.js';
import { type AlarmRow, type DailyRow, emptyRow, type Metric } from './rows.js';
import {
  DEFAULT_SETTINGS,
  type DeptState,
  deptOf,
  isPrivateReason,
  type PersonState,
  publicCodes,
  type TimelineState,
} from './state.js';

/** Back this much before the return time counts as reopened early; this much after, as overdue. */
export const GRACE_MS = 60_000;

export class Timeline {
  readonly rows = new Map<string, DailyRow>();
  readonly alarms = new Map<string, AlarmRow>();
  /** the rows the call figures (calls.ts) count into */
  private readonly callRows: CallRows = {
    queueRow: (t, queue) => this.row(dayKey(t, this.state.settings.timeZone), this.queueDept(queue), ''),
    personRows: (t, ext) => this.personRows(t, ext),
  };

  constructor(readonly state: TimelineState) {}

  private row(day: string, department: string, ext: string): DailyRow {
    const key = `${day}|${department}|${ext}`;
    let row = this.rows.get(key);
    if (!row) {
      row = emptyRow(this.state.org, day, department, ext);
      this.rows.set(key, row);
    }
    return row;
  }

  /** The person's row and their department's (or the organisation's, without one) for the day of t. */
  private personRows(t: number, ext: string): DailyRow[] {
    const day = dayKey(t, this.state.settings.timeZone);
    const dept = this.state.people[ext]?.dept ?? '';
    return [this.row(day, dept, ext), this.row(day, dept, '')];
  }

  /** Adds to the person's row and their department's; a private reason's only to the department's. */
  private addPerson(t: number, ext: string, metric: Metric, value = 1, reason?: string): void {
    const rows = this.personRows(t, ext);
    for (const row of reason !== undefined && isPrivateReason(this.state.settings, reason)
      ? rows.slice(1)
      : rows) {
      row[metric] += value;
      if (reason !== undefined) row.reasons[reason] = (row.reasons[reason] ?? 0) + 1;
    }
  }

  private max(row: DailyRow, metric: Metric, value: number): void {
    row[metric] = Math.max(row[metric], value);
  }

  /**
   * Counts [emptySince, t) of a department into unstaffed time and its alarm: inside its phone hours
   * (all day for a must-answer function without), less the own hours of anyone available who has
   * some (SAMSA §7: they staff it then), as the board's alarm judges it.
   */
  private settleDept(id: string, d: DeptState, t: number): void {
    if (d.emptySince === null || t <= d.emptySince) return;
    const { timeZone: tz, holidays } = this.state.settings;
    const base =
      d.hours.length > 0
        ? (day: string) => windowsOn(day, tz, d.hours, holidays)
        : d.mustAnswer
          ? (day: string) => [[dayStart(day, tz), dayStart(nextDay(day), tz)] as const]
          : undefined;
    const staffedBy = (day: string) =>
      (d.timed ?? []).flatMap((ext) => windowsOn(day, tz, this.state.people[ext]?.hours ?? [], holidays));
    const windows = base && ((day: string) => subtractWindows(base(day), staffedBy(day)));
    if (windows)
      spread(d.emptySince, t, tz, windows, (day, a, b) => {
        this.row(day, id, '').unstaffed_s += (b - a) / 1000;
        if (d.alarm && d.alarm.end === a) d.alarm.end = b;
        else {
          d.alarm = { start: a, end: b };
          this.row(day, id, '').alarms += 1;
        }
        this.alarms.set(`${id}|${d.alarm.start}`, {
          org: this.state.org,
          department: id,
          kind: d.mustAnswer ? 'must-answer' : 'all-away',
          startedAt: d.alarm.start,
          endedAt: d.alarm.end,
        });
      });
    d.emptySince = t;
  }

  /**
   * After a tally change: nobody known available (but those with own hours, counted by the windows)
   * starts or ends the empty condition.
   */
  private recheck(d: DeptState, t: number): void {
    const empty = d.known > 0 && d.available === (d.timed?.length ?? 0);
    if (empty && d.emptySince === null) d.emptySince = t;
    if (!empty) d.emptySince = null;
  }

  private settleDevice(id: string, t: number): void {
    const dev = this.state.devices[id];
    if (!dev || dev.offlineSince === null || t <= dev.offlineSince) return;
    const { timeZone, workday, workdays, holidays } = this.state.settings;
    const hours = [{ days: workdays, ...workday }];
    const ext = dev.ext;
    spread(
      dev.offlineSince,
      t,
      timeZone,
      (day) => windowsOn(day, timeZone, hours, holidays),
      (_day, a, b) => {
        if (ext) this.addPerson(a, ext, 'desk_offline_s', (b - a) / 1000);
      },
    );
    dev.offlineSince = t;
  }

  /** Moves a person's contribution between department tallies (old out, new in), settling both first. */
  private setPerson(ext: string, next: PersonState, t: number): void {
    const prev = this.state.people[ext];
    for (const id of new Set([prev?.dept, next.dept])) if (id) this.settleDept(id, deptOf(this.state, id), t);
    if (prev?.dept && prev.status !== null) {
      const d = deptOf(this.state, prev.dept);
      d.known--;
      if (prev.status === 'available') d.available--;
      if (d.timed?.includes(ext)) d.timed = d.timed.filter((e) => e !== ext);
    }
    if (next.dept && next.status !== null) {
      const d = deptOf(this.state, next.dept);
      d.known++;
      if (next.status === 'available') d.available++;
      if (next.status === 'available' && next.hours?.length) d.timed = [...(d.timed ?? []), ext];
    }
    this.state.people[ext] = next;
    for (const id of new Set([prev?.dept, next.dept])) if (id) this.recheck(deptOf(this.state, id), t);
  }

  private checkDeadlines(t: number): void {
    const next = this.state.nextDeadline;
    if (next === null || (next !== undefined && t < next)) return;
    let earliest: number | null = null;
    for (const [ext, open] of Object.entries(this.state.messages))
      for (const m of Object.values(open)) {
        if (!m.late && m.deadline <= t) {
          m.late = true;
          this.addPerson(m.deadline, ext, 'messages_late');
        }
        if (!m.late && (earliest === null || m.deadline < earliest)) earliest = m.deadline;
      }
    this.state.nextDeadline = earliest;
  }

  /** Accounts all open conditions up to t: a rollup's end, or "now" for today's live figures. */
  flush(t: number): void {
    const s = this.state;
    t = Math.max(t, s.t);
    this.checkDeadlines(t);
    forgetOldCalls(s, t);
    for (const [id, d] of Object.entries(s.depts)) this.settleDept(id, d, t);
    for (const id of Object.keys(s.devices)) this.settleDevice(id, t);
    if (s.downSince !== null) {
      spread(
        s.downSince,
        t,
        s.settings.timeZone,
        () => 'all',
        (day, a, b) => {
          this.row(day, '', '').unrecorded_s += (b - a) / 1000;
        },
      );
      s.downSince = t;
    }
    s.t = t;
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

  private queueDept(queue: string | null | undefined): string {
    if (!queue) return '';
    for (const [id, d] of Object.entries(this.state.depts)) if (d.queue === queue) return id;
    return '';
  }
}
