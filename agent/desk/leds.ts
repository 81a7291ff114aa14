// The LED renderer: a pure function of what the desk knows and the time. The LEDs never lie: each
// lamp shows the worst true thing about what it stands for. Blinking is the driver's job; the
// renderer only says which pattern, and nextFrameChange says when the pattern changes by time alone.
import type { LedFrame, LedPattern, LedState } from '../../hardware/port.js';
import type { KeyLayout, LedRole, LineState, Mwi, Presence, Queue } from '../../protocol/index.js';
import { messageLamp, nextMessageDeadline, recipientDeadline } from '../../rules/messages.js';
import { isNudging, nudgeAt } from '../../rules/nudge.js';
import type { OrgPolicy } from '../../rules/policy.js';
import { queueAlarmAt } from '../../rules/queue-threshold.js';
import { isOverdue } from '../../rules/referral.js';
import type { LinkStatus } from '../../session/contract-session.js';

export interface LedInputs {
  presence: Presence;
  mwi: Mwi | null;
  /** waiting voicemails (voicemail/{ext}); 0 when none or unknown */
  voicemail: number;
  /** when the oldest voicemail came, where the phone system tells: past its deadline the lamp escalates */
  voicemailSince?: string | null;
  queues: ReadonlyMap<string, Queue>;
  /** the lines (line/{ext}) of the colleagues the layout shows */
  lines: ReadonlyMap<string, LineState>;
  link: LinkStatus;
  now: Date;
  policy: OrgPolicy;
  layout: KeyLayout['leds'];
  ledCount: number;
}

// One shared (frozen) object per lamp state: a render allocates nothing per lamp, and a frame is
// compared by its lamps' pattern and colour, never by identity.
const lampState = (pattern: LedPattern, color?: LedState['color']): LedState =>
  Object.freeze(color ? { pattern, color } : { pattern });
const OFF = lampState('off');
const RED = lampState('on', 'red');
const RED_SLOW = lampState('slow', 'red');
const RED_FAST = lampState('fast', 'red');
const AMBER = lampState('on', 'amber');
const AMBER_SLOW = lampState('slow', 'amber');
const GREEN = lampState('on', 'green');
const BLUE = lampState('on', 'blue');

function lamp(role: LedRole, inputs: LedInputs): LedState {
  const { presence, now, policy } = inputs;
  switch (role.type) {
    case 'reason':
      if (presence.status !== 'away' || presence.reason !== role.reason) return OFF;
      // Overdue (Grästorp/Essunga: "extend immediately"): a slow blink, so the person's own stale
      // state reads differently from the fast blinks that call for action on something else.
      if (isOverdue(presence, now)) return RED_SLOW;
      // The nudge, the org's lead before a same-day return time (rules/nudge.ts): the lamp starts to
      // blink slowly, amber where the panel has colour, so the person extends while the time can
      // still be kept. Single-colour panels show it as the overdue blink that follows it: both say
      // "your return time is (nearly) up". A pattern of its own would need new firmware on every desk.
      return isNudging(presence, now, policy) ? AMBER_SLOW : RED;
    case 'available':
      return presence.status === 'available' ? GREEN : OFF;
    case 'alt':
      return presence.status === 'away' && presence.alt ? BLUE : OFF;
    case 'message': {
      // Högsby / Falkenberg: call back the next working day / the same day; past it the lamp escalates.
      const state = messageLamp(inputs.mwi, inputs.voicemail, now, policy, inputs.voicemailSince);
      if (state === 'late') return RED_FAST;
      return state === 'waiting' ? AMBER : OFF;
    }
    case 'queue': {
      const queue = inputs.queues.get(role.queue);
      // phone system unreachable: not "0 waiting" but "unknown", a slow amber blink
      if (queue?.stale) return AMBER_SLOW;
      if (!queue || queue.waiting === 0) return OFF;
      // Guldborgsund: answer within 4 rings (about 20 s); past it, fast blink.
      const alarmAt = queueAlarmAt(queue, policy);
      if (alarmAt !== undefined && now.getTime() >= alarmAt) return RED_FAST;
      return AMBER;
    }
    case 'link':
      // Nobody may trust a referral that did not go out: dark only while online.
      if (inputs.link === 'online') return OFF;
      return inputs.link === 'connecting' ? RED_SLOW : RED_FAST;
    case 'line': {
      // as on a phone's busy lamp: steady red in a call; a fast blink while it rings (someone could
      // pick it up); dark when idle or not known
      const state = inputs.lines.get(role.ext)?.state;
      if (state === 'in-call') return RED;
      return state === 'ringing' ? RED_FAST : OFF;
    }
  }
}

const URGENCY: Record<LedPattern, number> = { off: 0, on: 1, slow: 2, fast: 3 };

/** One state per LED (index = LED number). Two roles on one LED: the more urgent pattern shows. */
export function render(inputs: LedInputs): LedFrame {
  const count = Number.isInteger(inputs.ledCount) && inputs.ledCount > 0 ? inputs.ledCount : 0;
  const frame: LedState[] = new Array(count).fill(OFF);
  for (const { led, role } of inputs.layout) {
    if (led < 0 || led >= count) continue;
    const next = lamp(role, inputs);
    if (URGENCY[next.pattern] > URGENCY[(frame[led] as LedState).pattern]) frame[led] = next;
  }
  return frame;
}

/** The next instant render's output changes with nothing but the clock moving. */
export function nextFrameChange(inputs: LedInputs): Date | undefined {
  const { presence, now, policy, ledCount } = inputs;
  const t0 = now.getTime();
  let first = Number.POSITIVE_INFINITY;
  // the earliest instant still ahead
  const later = (t: number | undefined) => {
    if (t !== undefined && t > t0 && t < first) first = t;
  };
  for (const { led, role } of inputs.layout) {
    if (led < 0 || led >= ledCount) continue;
    if (role.type === 'reason' && presence.status === 'away' && presence.reason === role.reason) {
      if (presence.until !== null) later(Date.parse(presence.until));
      later(nudgeAt(presence, policy)?.getTime());
    } else if (role.type === 'message') {
      later(nextMessageDeadline(inputs.mwi, now, policy)?.getTime());
      if (inputs.voicemail > 0 && inputs.voicemailSince)
        later(recipientDeadline(new Date(inputs.voicemailSince), policy).getTime());
    } else if (role.type === 'queue') {
      later(queueAlarmAt(inputs.queues.get(role.queue), policy));
    }
  }
  return first < Number.POSITIVE_INFINITY ? new Date(first) : undefined;
}
