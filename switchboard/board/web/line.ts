// A person's line on the board (line/{ext}, RFC 4235 dialog state from the phone bridge): "i samtal"
// or "ringer" beside their name in the row, and since when in their details, so the operator does
// not put a call through to a busy phone (Guldborgsund: the switchboard sees when someone is free).
import type { WholeRow } from '../wire-rows.js';
import { callText } from './call-texts.js';
import { badge } from './elements.js';
import { clock } from './format.js';
import { state, timeZoneOf } from './state.js';

/** "i samtal sedan 11:02", or '' while the line is idle. */
export function lineText(row: WholeRow, now: number): string {
  if (!row.line) return '';
  const since = clock(row.line.since, now, state.lang, timeZoneOf(row.org));
  return `${callText(row.line.state)} ${callText('lineSince')} ${since}`;
}

/** The row's line badge in its name cell: shown while the phone rings or is in a call, else gone. */
export function showLine(cell: HTMLElement, row: WholeRow | null, now: number): void {
  cell.querySelector('.badge.line')?.remove();
  if (!row?.line) return;
  const b = badge(`line ${row.line.state}`, callText(row.line.state), lineText(row, now));
  b.dataset.testid = 'line';
  b.dataset.state = row.line.state;
  // right after the name, before the title, so a long title never pushes it out of sight
  const name = cell.querySelector('.name');
  if (name) name.after(b);
  else cell.append(b);
}
