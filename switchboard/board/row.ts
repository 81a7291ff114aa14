// One line on the board, as the model builds it and the columns (columns.ts) name its fields: its own
// module so that the column table and the model both import it without importing each other.
import type { AltAnswer, PhoneMessage, Presence } from '../../protocol/index.js';
import type { DeviceVersions } from './device-bindings.js';

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
  /**
   * true when any desk device assigned to this extension (device/{id}/config) is online, false when all
   * are offline, null when none is known: a device with a state but no assignment shows nowhere
   */
  online: boolean | null;
  /** what this person's desks warn of (e.g. a layout that does not fit the panel); null when nothing */
  deviceWarnings: string[] | null;
  /** the agent and firmware versions this person's desks report (IT, during an upgrade); null when none says */
  deviceVersions: DeviceVersions[] | null;
  /** the calendar bridge cannot read this person's calendar (calendar/{ext}); null while it can, or none */
  calendar: { error: string; lastGood: string | null } | null;
  /** open phone messages the notifier has not got to the person yet (mwi/{ext}/delivery/+: a channel not sent) */
  undelivered: number;
}
