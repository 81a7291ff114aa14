// The keyboard flow: type to search (from anywhere, a fresh query), arrows and pages move the selection,
// Enter opens the details, Esc (from anywhere) undoes a waiting referral, closes the details, then
// clears the search; Tab goes to the details' reasons, where 1-9 and 0 pick one; Alt+M takes a message
// for the selected person; ? shows the help.
import { chooseByKey, focusReasons, undo } from './acting.js';
import { deptPanel, detail, input } from './elements.js';
import { helpOpen, toggleHelp } from './help.js';
import { ROW_HEIGHT, scrollListTo, select, viewport } from './list.js';
import { focusMessage } from './message-form.js';
import { finishSearch, refilter, searchTyped } from './search.js';
import { departmentOf, schedule, state } from './state.js';

function move(by: number): void {
  if (state.view.length === 0) return;
  const i = state.selected === null ? -1 : state.view.indexOf(state.selected);
  const next = Math.min(state.view.length - 1, Math.max(0, (i < 0 ? -1 : i) + by));
  // with a panel open, the arrows move through the panels (people and departments alike)
  select(state.view[next] as string, state.detailOpen || state.deptOpen !== null);
}

export function bindKeys(): void {
  input.addEventListener('input', () => {
    state.detailOpen = false;
    state.deptOpen = null;
    // a new search starts at its first hit (a department offered above its people), not wherever the
    // selection was: type, Enter must open what was typed for
    state.selected = null;
    state.dirty.view = true;
    searchTyped();
    scrollListTo(0);
    schedule();
  });

  input.addEventListener('keydown', (e) => {
    const page = Math.max(1, Math.floor(viewport.height / ROW_HEIGHT) - 1);
    const keys: Record<string, () => unknown> = {
      ArrowDown: () => move(1),
      ArrowUp: () => move(-1),
      PageDown: () => move(page),
      PageUp: () => move(-page),
      Enter: () => state.selected && select(state.selected, true),
      Escape: escapeKey,
    };
    // Tab from the search goes straight to the reasons of the open details (then a digit picks one)
    if (e.key === 'Tab' && !e.shiftKey && state.detailOpen && focusReasons()) {
      e.preventDefault();
      return;
    }
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      // keys typed faster than a frame: Enter opens the first hit of what was typed, not of before
      if (state.dirty.view) refilter();
      finishSearch();
      action();
    }
  });

  document.addEventListener('keydown', (e) => {
    const at = document.activeElement;
    const inField = isTextField(at) && at !== input;
    // by the key's place, not its letter: Option+M on a Mac types µ
    if (e.code === 'KeyM' && e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
      e.preventDefault();
      if (helpOpen()) toggleHelp(false); // read in the help, then used at once
      return takeMessage();
    }
    if (helpOpen()) {
      // a modal dialog: Esc or ? closes it, and the page behind it takes no keys (but Alt+M, above)
      if (e.key === 'Escape' || e.key === '?') {
        e.preventDefault();
        toggleHelp(false);
      }
      return;
    }
    if (e.key === '?' && !inField) {
      e.preventDefault();
      return toggleHelp(true);
    }
    // Keys typed in the details' own fields stay there (a message, a time); digits on the details'
    // buttons pick a reason (the detail panel's listener).
    if (inField || e.ctrlKey || e.metaKey || e.altKey) return;
    const inPanel = detail.contains(at) || deptPanel.contains(at);
    if (e.key === 'Escape' && !inPanel && at !== input) {
      // Esc works from anywhere: a header button, a department chip
      e.preventDefault();
      escapeKey();
      input.focus();
      return;
    }
    if (at === input || e.key.length !== 1) return;
    if (e.key === ' ' && (at?.tagName === 'BUTTON' || at?.tagName === 'INPUT')) return;
    if (inPanel && /^[0-9]$/.test(e.key) && detail.contains(at)) return;
    // Typing anywhere else starts a new search: the operator has a caller on the line, and the old
    // query is replaced, not appended to ("karin" twice is not "karinkarin")
    input.focus();
    input.select();
  });

  detail.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      // a referral waiting to be sent is undone first; a second Esc closes the details
      if (undo()) return;
      state.detailOpen = false;
      input.focus();
      schedule();
      return;
    }
    if (!isTextField(e.target) && !e.ctrlKey && !e.altKey && !e.metaKey && chooseByKey(e.key))
      e.preventDefault();
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
    const people = [...deptPanel.querySelectorAll<HTMLButtonElement>('button[data-key]')];
    const i = people.indexOf(document.activeElement as HTMLButtonElement);
    const next = people[Math.max(0, Math.min(people.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  });
}

/**
 * Alt+M, from anywhere (the search, a field of the details): the selected person's message form,
 * their details opened first. The message is 12 Tab stops into the details otherwise.
 */
function takeMessage(): void {
  if (state.dirty.view) refilter(); // typed faster than a frame: the first hit of what was typed
  finishSearch();
  const key = state.selected;
  if (!key || departmentOf(key) || !state.rows.has(key)) return;
  if (!state.detailOpen) select(key, true);
  focusMessage();
}

/** Esc in the search (or outside the panels): undo a waiting referral, close a panel, else clear the search. */
function escapeKey(): void {
  if (undo()) return;
  if (state.detailOpen || state.deptOpen) {
    state.detailOpen = false;
    state.deptOpen = null;
  } else {
    input.value = '';
    state.selected = null; // the whole list again, with nobody highlighted (search.ts refilter)
  }
  state.dirty.view = true;
  schedule();
}

const isTextField = (el: EventTarget | null): boolean =>
  el instanceof HTMLTextAreaElement ||
  (el instanceof HTMLInputElement && el.type !== 'checkbox' && el.type !== 'radio');
