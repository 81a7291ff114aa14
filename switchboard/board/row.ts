// One line on the board, as the model builds it and the columns (columns.ts) name its fields: its own
// module so that the column table and the model both import it without importing each other.
import type {
  AltAnswer,
  CalendarStatus,
  Person,
  PhoneHours,
  PhoneMessage,
  Presence,
} from '../../protocol/index.js';
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
  /** the person's own phone hours (directory); null: the department's */
  phoneHours: PhoneHours[] | null;
  /** the desk is online but its key panel is unplugged (every online desk says so): true, else null */
  panelUnplugged: true | null;
  /** what this person's desks warn of (e.g. a layout that does not fit the panel); null when nothing */
  deviceWarnings: string[] | null;
  /** the agent and firmware versions this person's desks report (IT, during an upgrade); null when none says */
  deviceVersions: DeviceVersions[] | null;
  /** the calendar bridge cannot read this person's calendar (calendar/{ext}); null while it can, or none */
  calendar: { error: string; lastGood: string | null } | null;
  // --- issue 23: numbers with rules, and who handles what (from the directory's person) ---
  email: string | null;
  /** on mobile extension (OE): the extension is the mobile number, and the operator says so */
  mobileExtension: boolean | null;
  /** whom each number may be given to; the server leaves out a number the viewer may not have (wire.ts) */
  visibility: Person['visibility'] | null;
  keywords: string[] | null;
  /** since when the oldest waiting voicemail has waited: its callback deadline runs from then */
  voicemailSince: string | null;
  /** the person's next calendar absence within the working day (calendar/{ext} `next`); null: none known */
  nextAbsence: NonNullable<CalendarStatus['next']> | null;
  /** the person's phone ringing or in a call (line/{ext}); null while idle or never heard */
  line: LineOnRow | null;
  /** open phone messages the notifier has not got to the person yet (mwi/{ext}/delivery/+: a channel not sent) */
  undelivered: number;
}

/** What the board shows of line/{ext}: only a busy phone; idle shows nothing. */
export interface LineOnRow {
  state: 'ringing' | 'in-call';
  since: string;
}
