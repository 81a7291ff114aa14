// The answer of GET /api/me, shared by the server (me.ts) and the staff page (web/), so both read one shape.
import type { AltAnswer, CalendarStatus, PhoneMessage, ReasonDefinition } from '../../protocol/index.js';

export interface MyView {
  org: string;
  orgName: string | null;
  timeZone: string;
  ext: string;
  name: string | null;
  status: 'available' | 'away' | null;
  reason: string | null;
  since: string | null;
  until: string | null;
  alt: AltAnswer | null;
  note: string | null;
  messages: PhoneMessage[];
  /** the person's next calendar absence (the calendar bridge's `next`); null: none known */
  nextAbsence: NonNullable<CalendarStatus['next']> | null;
  reasons: ReasonDefinition[];
  /** minutes one − or + moves the return time: the organisation's step, as the desk's keys */
  stepMinutes: number;
}

/** GET /api/me/push: the notifier's address and a token signed for the person's own extension (web/push.ts). */
export interface MyPush {
  /** the notifier's public address, ending in / */
  url: string;
  /** `signLink`'s `{do: "push", org, ext, id: "subscribe"}`, valid for minutes */
  t: string;
}
