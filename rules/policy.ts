// The organisation's rules as the desk agent needs them, with the defaults the seeds suggest.
import type { OrgInfo, ReasonDefinition } from '../protocol/index.js';
import { DEFAULT_REASONS } from '../protocol/reasons.js';
import type { SwitchboardNumbers } from './forward.js';

export interface OrgPolicy {
  /** IANA zone; every local-time rule (end of day, quarter hours, DST) is evaluated in it */
  timeZone: string;
  /** 'HH:MM' local */
  workday: { from: string; to: string };
  /** ISO weekdays, 1 = Monday */
  workdays: readonly number[];
  /** local dates (YYYY-MM-DD) that are not working days: public holidays and local extra days off */
  holidays: readonly string[];
  /** at the return time: stay away and show overdue (Grästorp/Essunga: "extend immediately"), or reopen */
  onReturn: 'overdue' | 'reopen';
  /** Falkenberg: call back the same day; Högsby: no later than the next working day */
  callback: 'same-day' | 'next-working-day';
  reasons: readonly ReasonDefinition[];
  /** + / - / the same reason key again */
  stepMinutes: number;
  longPressMs: number;
  /** minutes before a same-day return time that the person is nudged (rules/nudge.ts); 0: never */
  nudgeMinutes: number;
  /** Guldborgsund: answer within 4 rings, about 20 s */
  queueAlarmSeconds: number;
  /** issue 23: the switchboard's own numbers, and whether a forward to them is refused (rules/forward.ts) */
  switchboard?: SwitchboardNumbers;
}

export const DEFAULT_POLICY: OrgPolicy = {
  timeZone: 'Europe/Stockholm',
  workday: { from: '08:00', to: '17:00' },
  workdays: [1, 2, 3, 4, 5],
  holidays: [],
  onReturn: 'overdue',
  callback: 'next-working-day',
  reasons: DEFAULT_REASONS,
  stepMinutes: 15,
  longPressMs: 800,
  nudgeMinutes: 5,
  queueAlarmSeconds: 20,
};

/** The org's published settings (directory/org) over `base`; what OrgInfo does not carry stays from base. */
export function policyFromOrg(org: OrgInfo | null | undefined, base: OrgPolicy = DEFAULT_POLICY): OrgPolicy {
  if (!org) return base;
  return {
    ...base,
    timeZone: org.timeZone,
    workday: org.workday ?? base.workday,
    onReturn: org.onReturn ?? base.onReturn,
    callback: org.callback ?? base.callback,
    reasons: org.reasons && org.reasons.length > 0 ? org.reasons : base.reasons,
    workdays: org.workdays ?? base.workdays,
    holidays: org.holidays ?? base.holidays,
    stepMinutes: org.stepMinutes ?? base.stepMinutes,
    longPressMs: org.longPressMs ?? base.longPressMs,
    nudgeMinutes: org.nudgeMinutes ?? base.nudgeMinutes,
    queueAlarmSeconds: org.queueAlarmSeconds ?? base.queueAlarmSeconds,
    switchboard: org.switchboard ?? base.switchboard,
  };
}
