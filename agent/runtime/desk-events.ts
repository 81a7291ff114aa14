// What the agent's features hear, on one bus: the contract session's own events (the link's ups and
// downs, `subscribed`, each broker message under its kind, `rejected`) and the desk's: the panel
// (keyEvent, panelConnection), the one timer (tick) and what features tell each other.
import type { KeyEvent } from '../../hardware/port.js';
import type { DeskAction } from '../../rules/referral.js';
import type { SessionEvents } from '../../session/contract-session.js';

export interface DeskEvents {
  /** a raw key down/up from the panel */
  keyEvent: KeyEvent;
  /** the panel came or went (its description, when it has one, is in the context by then) */
  panelConnection: { connected: boolean };
  /** a key's gesture completed (short or long press) */
  keyFired: { key: number; long: boolean };
  /** what the desk's layout makes of a fired key */
  action: DeskAction;
  /** the wake timer fired at this instant (ms) */
  tick: number;
  /** something visible may have changed: lamps, key faces and the next wake follow */
  changed: undefined;
  /** presence, pending or the device config changed: the journal keeps them */
  persist: undefined;
}

export type AgentEvents = SessionEvents & DeskEvents;
