// A person's line on the board (line/{ext}, RFC 4235 dialog state from the phone bridge): "i samtal"
// or "ringer" beside their name in the row, and since when in their details, so the operator does
// not put a call through to a busy phone (Guldborgsund: the switchboard sees when someone is free).
import type { WholeRow } from '../wire-rows.js';
import { callText } from './call-texts.js';
import { badge } from './elements.js';
import { clock } from './format.js';
import { state, timeZoneOf } from './state.js';

/**
 * The line as far as it is known: while the organisation's phone bridge is cut off from the phone
 * system (phone/link down) the last line state is old news, and a stale "i samtal" would keep the
 * operator from putting a call through; the row shows none then (the banner says why).
 */
const lineOf = (row: WholeRow) => (state.phoneLinks.get(row.org)?.up === false ? null : row.line);

/** "i samtal sedan 11:02", or '' while the line is idle or not known. */
export function lineText(row: WholeRow, now: number): string {
  const line = lineOf(row);
  if (!line) return '';
  const since = clock(line.since, now, state.lang, timeZoneOf(row.org));
  return `${callText(line.state)} ${callText('lineSince')} ${since}`;
}

/** The row's line badge in its name cell: shown while the phone rings or is in a call, else gone. */
export function showLine(cell: HTMLElement, row: WholeRow | null, now: number): void {
  cell.querySelector('.badge.line')?.remove();
  const line = row && lineOf(row);
  if (!row || !line) return;
  const b = badge(`line ${line.state}`, callText(line.state), lineText(row, now));
  b.dataset.testid = 'line';
  b.dataset.state = line.state;
  // right after the name, before the title, so a long title never pushes it out of sight
  const name = cell.querySelector('.name');
  if (name) name.after(b);
  else cell.append(b);
}
