// The referral state machine: pure functions of (presence, action, now, policy). Each rule names the
// policy in shared/seeds it comes from; docs/agent-behaviour.md lists them all.
import {
  type Actor,
  type AltAnswer,
  comparePresence,
  findReason,
  type KeyAction,
  nextSeq,
  type Presence,
  type ReasonDefinition,
  supersedes,
} from '../protocol/index.js';
import { isRefusedSwitchboardForward } from './forward.js';
import type { OrgPolicy } from './policy.js';
import { addMinutes, ceilToMinute, endOfWorkday, nextQuarterAfter, startOfNextWorkday } from './time.js';

export type DeskAction =
  | KeyAction
  /** long press on a reason key */
  | { type: 'until-further-notice'; reason: string };

export interface DeskContext {
  now: Date;
  policy: OrgPolicy;
  /** who makes this change: the desk itself, or the operator/calendar acting for the person */
  actor: Actor;
  /** the colleague's extension for the forward key, from the device config */
  forwardTo?: string;
}

const iso = (d: Date) => d.toISOString();

export function initialPresence(now: Date, actor: Actor): Presence {
  return {
    v: 1,
    status: 'available',
    reason: null,
    since: iso(now),
    until: null,
    alt: null,
    seq: 0,
    by: actor,
    at: iso(now),
  };
}

/** The default return time of `reason` counted from `from` (whole minutes; null = until further notice). */
export function defaultReturn(reason: ReasonDefinition, from: Date, policy: OrgPolicy): Date | null {
  switch (reason.rule.type) {
    case 'minutes':
      return ceilToMinute(addMinutes(from, reason.rule.minutes));
    case 'next-quarter':
      // Meeting: to the next full quarter past one hour, 09:05 → 10:15.
      return nextQuarterAfter(from, reason.rule.minutes, policy.timeZone);
    case 'end-of-day':
      // Trip, course: the end of this working day, or of the next one when past it.
      return ceilToMinute(endOfWorkday(from, policy));
    case 'next-workday':
      // Sick, gone for the day: back when the next working day starts, so nothing shows overdue overnight.
      return ceilToMinute(startOfNextWorkday(from, policy));
    case 'until-further-notice':
      return null;
  }
}

/** Away and the return time has come: with 'overdue' the key blinks and the board says "overdue N min". */
export function isOverdue(p: Presence, now: Date): boolean {
  return p.status === 'away' && p.until !== null && Date.parse(p.until) <= now.getTime();
}

export function overdueMinutes(p: Presence, now: Date): number {
  if (!isOverdue(p, now) || p.until === null) return 0;
  return Math.floor((now.getTime() - Date.parse(p.until)) / 60_000);
}

/** Where a chained or extended absence starts counting: the current end if still ahead, else now. */
function continueFrom(p: Presence, now: Date): Date {
  if (p.status === 'away' && p.until !== null && Date.parse(p.until) > now.getTime())
    return new Date(p.until);
  return now;
}

type Referral = Pick<Presence, 'status' | 'reason' | 'until' | 'alt' | 'note'> & { since?: string };

function sameAlt(a: AltAnswer | null, b: AltAnswer | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === 'forward') return b.kind === 'forward' && a.to === b.to && a.name === b.name;
  return b.kind === 'info' && a.text === b.text;
}

/** Build the next presence; `current` itself when nothing the board can see changes. */
function change(current: Presence, next: Referral, ctx: DeskContext): Presence {
  if (
    next.status === current.status &&
    next.reason === current.reason &&
    next.until === current.until &&
    sameAlt(next.alt, current.alt) &&
    next.note === current.note
  ) {
    return current;
  }
  // `since` is when the current absence (or availability) began: extending, chaining and alt
  // changes keep it, so the board can show how long someone has been away in total.
  const since = next.since ?? (next.status === current.status ? current.since : iso(ctx.now));
  const out: Presence = {
    v: 1,
    status: next.status,
    reason: next.reason,
    since,
    until: next.until,
    alt: next.alt,
    seq: nextSeq(current.seq),
    by: ctx.actor,
    at: iso(ctx.now),
  };
  if (next.note !== undefined) out.note = next.note;
  return out;
}

const available: Referral = { status: 'available', reason: null, until: null, alt: null };

function setReason(current: Presence, code: string, until: Date | null, ctx: DeskContext): Presence {
  return change(
    current,
    {
      status: 'away',
      reason: code,
      until: until === null ? null : iso(until),
      // the alternative answering point belongs to the absence and carries over a chain
      alt: current.status === 'away' ? current.alt : null,
      // an operator's note describes the reason it was written for
      note: current.reason === code ? current.note : undefined,
    },
    ctx,
  );
}

function extend(current: Presence, minutes: number, ctx: DeskContext): Presence {
  if (current.status !== 'away' || current.reason === null) return current;
  const until = ceilToMinute(addMinutes(continueFrom(current, ctx.now), minutes));
  return setReason(current, current.reason, until, ctx);
}

function shorten(current: Presence, minutes: number, ctx: DeskContext): Presence {
  // Nothing to shorten while available or until further notice; never to the past, and never to
  // "available": reopening is the Open key's job, so - stays reversible with +.
  if (current.status !== 'away' || current.reason === null || current.until === null) return current;
  const earliest = ceilToMinute(addMinutes(ctx.now, 1)).getTime();
  const until = Date.parse(current.until);
  if (until <= earliest) return current;
  const next = Math.max(until - minutes * 60_000, earliest);
  return setReason(current, current.reason, new Date(next), ctx);
}

function toggleAlt(current: Presence, alt: AltAnswer, ctx: DeskContext): Presence {
  // An alternative answering point is part of a referral (SAMSA); while available there is none.
  if (current.status !== 'away') return current;
  // Pressed again, the key takes it off; the forward key also takes over a forward elsewhere.
  const cur = current.alt;
  const same =
    cur?.kind === alt.kind && (cur.kind !== 'forward' || alt.kind !== 'forward' || cur.to === alt.to);
  return change(current, { ...current, alt: same ? null : alt }, ctx);
}

export function applyAction(current: Presence, action: DeskAction, ctx: DeskContext): Presence {
  const { now, policy } = ctx;
  switch (action.type) {
    case 'reason': {
      const def = findReason(action.reason, policy.reasons);
      if (!def) return current; // a layout naming a reason the org does not have: the key does nothing
      // The same key again extends by a step.
      if (current.status === 'away' && current.reason === def.code) {
        return extend(current, policy.stepMinutes, ctx);
      }
      // SAMSA "state the total absence": a reason pressed while away starts at the current end.
      return setReason(current, def.code, defaultReturn(def, continueFrom(current, now), policy), ctx);
    }
    case 'until-further-notice': {
      const def = findReason(action.reason, policy.reasons);
      if (!def) return current;
      // The caller must always learn when the person can be reached (SAMSA; Högsby "besked om när du
      // är tillgänglig"): a reason that requires a return time never goes until further notice, and a
      // long press on it does what a short press does.
      if (def.returnRequired) return applyAction(current, { type: 'reason', reason: def.code }, ctx);
      return setReason(current, def.code, null, ctx);
    }
    case 'open':
      // SAMSA: reopen manually when back early. The alternative answering point ends with the referral.
      return change(current, available, ctx);
    case 'extend':
      return extend(current, action.minutes, ctx);
    case 'shorten':
      return shorten(current, action.minutes, ctx);
    case 'alt-forward':
      // A forward to the switchboard the org refuses does nothing (Grästorp/Essunga; rules/forward.ts)
      if (!ctx.forwardTo || isRefusedSwitchboardForward(ctx.forwardTo, policy.switchboard)) return current;
      return toggleAlt(current, { kind: 'forward', to: ctx.forwardTo }, ctx);
    case 'alt-info':
      // the text the desk's layout gives the key, for the operator to read out
      return toggleAlt(current, { kind: 'info', ...(action.text ? { text: action.text } : {}) }, ctx);
    case 'message-handled':
      return current;
  }
}

/** With onReturn 'reopen' the phone opens at the return time; with 'overdue' nothing changes. */
export function onTime(current: Presence, ctx: DeskContext): Presence {
  if (ctx.policy.onReturn !== 'reopen' || !isOverdue(current, ctx.now) || current.until === null)
    return current;
  // It opened at the return time, even if the agent only noticed later (asleep, restarting).
  return change(current, { ...available, since: current.until }, ctx);
}

/** The next instant this referral's meaning changes by time alone: its return time, or nothing. */
export function nextWake(p: Presence, ctx: DeskContext): Date | undefined {
  if (p.status !== 'away' || p.until === null) return undefined;
  const until = new Date(p.until);
  if (until.getTime() > ctx.now.getTime()) return until;
  // Already due: with 'reopen' onTime will change it now; with 'overdue' it stays as it is.
  return ctx.policy.onReturn === 'reopen' ? until : undefined;
}

/** The presence to keep when another one arrives (the operator, a calendar, our own echo). */
export function adopt(local: Presence, incoming: Presence): Presence {
  // Newest by seq, never by wall clock (desk clocks drift); ties as everywhere else: protocol's rule.
  return supersedes(incoming, local) ? incoming : local;
}

/** Re-exported so agent code has one place for the presence rules; the rule itself lives in protocol. */
export { comparePresence };
