// What happens on a desk, as the agent's extensions hear it. Sources: the panel (keyEvent,
// panelConnection), the broker link (linkStatus, linkReady, brokerMessage, brokerRejected), the one
// timer (tick); the rest are what extensions tell each other.
import type { KeyEvent } from '../../hardware/port.js';
import type { Message } from '../../protocol/index.js';
import type { DeskAction } from '../../rules/referral.js';
import type { LinkStatus } from './link.js';

export interface AgentEvents {
  /** a raw key down/up from the panel */
  keyEvent: KeyEvent;
  /** the panel came or went (its description, when it has one, is in the context by then) */
  panelConnection: { connected: boolean };
  /** a key's gesture completed (short or long press) */
  keyFired: { key: number; long: boolean };
  /** what the desk's layout makes of a fired key */
  action: DeskAction;
  linkStatus: LinkStatus;
  /** connected and subscribed: the moment to publish what the desk is the authority for */
  linkReady: undefined;
  /** a message the codec accepted */
  brokerMessage: Message;
  /** a message the codec refused (already counted and logged) */
  brokerRejected: { topic: string; payload: Buffer; detail: string };
  /** the wake timer fired at this instant (ms) */
  tick: number;
  /** something visible may have changed: lamps, key faces and the next wake follow */
  changed: undefined;
  /** presence, pending or the device config changed: the journal keeps them */
  persist: undefined;
}
