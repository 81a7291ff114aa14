// What each visible column's cell shows, for a person's row and for a department result: the fill
// table the virtualised list (list.ts) runs over its pooled rows' cells.
import type { WholeRow } from '../wire-rows.js';
import { badge } from './elements.js';
import { altText, deskText, nextAbsenceText, returnText, stateOf, stateText } from './format.js';
import { showLine } from './line.js';
import { catalogueOf, type DepartmentView, departmentName, named, state, t, timeZoneOf } from './state.js';
import { alarmText, inText, nextClock } from './strip.js';
import { ICONS, stateIcon } from './symbols.js';
import type { VisibleColumnId } from './visible-columns.js';

/** What each visible column's cell shows: for a person's row, and for a department result. */
interface CellFill {
  person(cell: HTMLElement, row: WholeRow, now: number): void;
  department(cell: HTMLElement, c: DepartmentView, now: number): void;
}

/** A part of a cell's fixed markup (visible-columns.ts): the cell has each one its fill asks for. */
const part = (cell: HTMLElement, selector: string) => cell.querySelector(selector) as HTMLElement;

export const CELLS: Record<VisibleColumnId, CellFill> = {
  state: {
    person(cell, row, now) {
      const label = stateText(row, state.lang, catalogueOf(row.org));
      // the reason's own icon and colour, so states differ without relying on colour (symbols.ts)
      part(cell, '.ico').textContent = stateIcon(stateOf(row, now), row.reason, label);
      part(cell, '.label').textContent = label;
    },
    department(cell) {
      part(cell, '.ico').textContent = '▦';
      part(cell, '.label').textContent = t().department;
    },
  },
  name: {
    person(cell, row, now) {
      part(cell, '.name').textContent = row.name ?? `(${row.ext})`;
      part(cell, '.title').textContent = row.title ?? '';
      // beside the name, where the operator's eye is before a transfer
      showLine(cell, row, now);
    },
    department(cell, c, now) {
      part(cell, '.name').textContent = c.dept.name;
      part(cell, '.title').textContent = state.orgs.get(c.org)?.name ?? '';
      showLine(cell, null, now);
    },
  },
  ext: {
    person(cell, row) {
      cell.textContent = row.ext;
    },
    department(cell) {
      cell.textContent = '';
    },
  },
  dept: {
    person(cell, row) {
      cell.textContent = departmentName(row);
    },
    department(cell, c) {
      cell.textContent = inText(c.summary);
    },
  },
  back: {
    person(cell, row, now) {
      const zone = timeZoneOf(row.org);
      const text = returnText(row, now, state.lang, zone);
      // "tillbaka" in a span of its own: a phone drops it (the column's head says it), so the name
      // gets the room (controls.css)
      const word = `${t().back} `;
      if (text.startsWith(word)) {
        const span = document.createElement('span');
        span.className = 'word';
        span.textContent = word;
        cell.replaceChildren(span, text.slice(word.length));
      } else if (text) cell.textContent = text;
      // someone in now: when they will be gone next, so the operator can say "she is in until two"
      else cell.textContent = nextAbsenceText(row.nextAbsence, now, state.lang, catalogueOf(row.org), zone);
      cell.dataset.testid = 'back';
    },
    department(cell, c, now) {
      cell.textContent = c.summary.nextBack === null ? '' : `${t().next} ${nextClock(c, now)}`;
      cell.dataset.testid = 'back';
    },
  },
  alt: {
    person(cell, row) {
      cell.textContent = altText(named(row), state.lang);
    },
    department(cell, c) {
      cell.textContent = c.summary.alarm
        ? alarmText(c.summary.alarm)
        : c.summary.open === false
          ? t().closed
          : '';
    },
  },
  msg: {
    person(cell, row) {
      const h = t();
      cell.textContent = '';
      if (row.messages)
        cell.append(badge('msg', `${ICONS.messages} ${row.messages}`, `${row.messages} ${h.messages}`));
      // the notifier could not (yet) mail or text the person: the operator may want to phone instead
      if (row.undelivered)
        cell.append(
          badge(
            'undelivered',
            `${ICONS.messages}✗ ${row.undelivered}`,
            `${row.undelivered} ${h.undelivered}`,
          ),
        );
      if (row.voicemail)
        cell.append(badge('vm', `${ICONS.voicemail} ${row.voicemail}`, `${row.voicemail} ${h.voicemail}`));
    },
    department(cell, c) {
      cell.textContent = '';
      if (c.queue?.waiting)
        cell.append(
          badge('calls', `${ICONS.calls} ${c.queue.waiting}`, `${c.queue.waiting} ${t().waitingCalls}`),
        );
    },
  },
  desk: {
    person(cell, row) {
      const h = t();
      cell.textContent = '';
      if (row.online !== null) {
        // an agent online with its keypad unplugged cannot be pressed: never "online" (device-state)
        const s = badge(row.online && !row.panelUnplugged ? 'on' : 'off', deskText(row, state.lang), h.desk);
        s.dataset.testid = 'desk-state';
        cell.append(s);
      }
      // a desk whose layout does not fit its panel says so here, never silently (docs/board.md)
      if (row.deviceWarnings) {
        const w = badge('warn', ICONS.deviceWarning, `${h.deviceWarnings}: ${row.deviceWarnings.join('; ')}`);
        w.dataset.testid = 'desk-warnings';
        cell.append(w);
      }
    },
    department(cell) {
      cell.textContent = '';
    },
  },
};
