// The keyboard flow: type to search (from anywhere), arrows and pages move the selection, Enter opens
// the details, Esc closes them (a second Esc clears the search); Tab goes into the details to act.
import { deptPanel, detail, input, list } from './elements.js';
import { ROW_HEIGHT, refilter, select } from './list.js';
import { schedule, state } from './state.js';

function move(by) {
  if (state.view.length === 0) return;
  const i = state.view.indexOf(state.selected);
  const next = Math.min(state.view.length - 1, Math.max(0, (i < 0 ? -1 : i) + by));
  // with a panel open, the arrows move through the panels (people and departments alike)
  select(state.view[next], state.detailOpen || state.deptOpen !== null);
}

export function bindKeys() {
  input.addEventListener('input', () => {
    state.detailOpen = false;
    state.deptOpen = null;
    // a new search starts at its first hit (a department offered above its people), not wherever the
    // selection was: type, Enter must open what was typed for
    state.selected = null;
    state.dirty.view = true;
    list.scrollTop = 0;
    schedule();
  });

  input.addEventListener('keydown', (e) => {
    const page = Math.max(1, Math.floor(list.clientHeight / ROW_HEIGHT) - 1);
    const keys = {
      ArrowDown: () => move(1),
      ArrowUp: () => move(-1),
      PageDown: () => move(page),
      PageUp: () => move(-page),
      Enter: () => state.selected && select(state.selected, true),
      Escape: () => {
        if (state.detailOpen || state.deptOpen) {
          state.detailOpen = false;
          state.deptOpen = null;
        } else input.value = '';
        state.dirty.view = true;
        schedule();
      },
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      // keys typed faster than a frame: Enter opens the first hit of what was typed, not of before
      if (state.dirty.view) refilter();
      action();
    }
  });

  document.addEventListener('keydown', (e) => {
    // Typing anywhere goes to the search: the operator has a caller on the line. Not from the details'
    // own controls: there the keys fill in a message or press a button.
    if (detail.contains(document.activeElement) || deptPanel.contains(document.activeElement)) return;
    if (document.activeElement !== input && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey)
      input.focus();
  });

  detail.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    state.detailOpen = false;
    input.focus();
    schedule();
  });

  // In the department panel the arrows move between its people (Enter opens one); Esc closes it.
  deptPanel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      state.deptOpen = null;
      input.focus();
      schedule();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const people = [...deptPanel.querySelectorAll('button[data-key]')];
    const i = people.indexOf(document.activeElement);
    const next = people[Math.max(0, Math.min(people.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  });
}
