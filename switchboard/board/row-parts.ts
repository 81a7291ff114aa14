// The one-topic parts of a board row the model works out rather than copies (model.ts): a failing
// calendar and a busy line (the devices' parts are device-row.ts's). Pure.
import type { CalendarStatus, LineState } from '../../protocol/index.js';
import type { LineOnRow, Row } from './row.js';

/** calendar/{ext}: only a failing feed shows; a working one (or none) is nothing to see. */
export const calendarOnRow = (body: CalendarStatus | null): Row['calendar'] =>
  body && !body.ok ? { error: body.error ?? '', lastGood: body.lastGood } : null;

/** line/{ext}: only a busy phone shows; idle (or a cleared topic) is nothing to see. */
export const lineOnRow = (body: LineState | null): LineOnRow | null =>
  body && body.state !== 'idle' ? { state: body.state, since: body.since } : null;
