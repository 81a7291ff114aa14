// What the referral tests share: a desk and an operator, a Monday morning in Stockholm, a presence
// that starts available, and press() for one action under the default policy.

import type { Actor, Presence } from '../../protocol/index.js';
import { DEFAULT_POLICY } from '../../rules/policy.js';
import { applyAction, type DeskAction, type DeskContext, initialPresence } from '../../rules/referral.js';

export const desk: Actor = { kind: 'desk', id: 'desk-1' };
export const operator: Actor = { kind: 'operator', id: 'op-anna' };
export const at = (s: string) => new Date(s);
// Monday 2026-05-04 in Stockholm (CEST, UTC+2): local 09:05 = 07:05Z
export const MON_0905 = at('2026-05-04T07:05:00Z');

export function ctx(now: Date, extra: Partial<DeskContext> = {}): DeskContext {
  return { now, policy: DEFAULT_POLICY, actor: desk, ...extra };
}
export function press(
  p: Presence,
  action: DeskAction,
  now: Date,
  extra: Partial<DeskContext> = {},
): Presence {
  return applyAction(p, action, ctx(now, extra));
}
export const reason = (r: string): DeskAction => ({ type: 'reason', reason: r });
export const start = initialPresence(at('2026-05-04T06:00:00Z'), desk);
export const plus = (d: Date, min: number) => new Date(d.getTime() + min * 60_000);
