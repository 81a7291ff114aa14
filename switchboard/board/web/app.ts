// The operators' board in the browser: one EventSource (a snapshot, then batched deltas), a
// virtualised list (only the visible rows exist in the DOM, so 50,000 people cost no more than 40),
// search as you type, and keyboard flow: type, arrows, Enter, Tab into the details to act.
// What the page shows is already reduced by the server to what the session may see; the page only
// decides which controls to offer (the server checks every write again).
// This module draws the frames and starts the page; the parts are: state.ts (what the page knows),
// data.ts (snapshot and deltas), list.ts, detail.ts and acting.ts (the operator's controls),
// deptpanel.ts (a department), header.ts and strip.ts (counters, departments), keys.ts, session.ts,
// stream.ts.

import { renderDepartmentPanel } from './deptpanel.js';
import { renderDetail } from './detail.js';
import { input } from './elements.js';
import { prepareHaystack } from './haystack.js';
import { renderChrome } from './header.js';
import { bindKeys } from './keys.js';
import { bindList, renderList, reorder, startClock } from './list.js';
import { applySearched, refilter } from './search.js';
import { loadSession } from './session.js';
import { cleanDirty, drawWith, schedule, state } from './state.js';
import { connect } from './stream.js';

/** the counters and the department strip are rebuilt in the DOM: on person changes, at most this often */
const CHROME_MS = 500;
let chromeAt = 0;
let chromeTimer: ReturnType<typeof setTimeout> | null = null;

function chrome() {
  // the counters wait for a first snapshot's rows to be counted (list.ts reorder, the next task)
  if (!state.tallied) return;
  chromeAt = performance.now();
  renderChrome();
}

function render() {
  reorder();
  // a changed search text moves its row in or out of the view; a new query filters again
  if (state.dirty.view || !applySearched()) refilter();
  renderList(state.dirty.view);
  // at most every CHROME_MS on person changes (the tallies behind them are kept as rows change)
  if (state.dirty.chrome) chrome();
  else if (state.dirty.rows.size) {
    const wait = chromeAt + CHROME_MS - performance.now();
    if (wait <= 0) chrome();
    else if (chromeTimer === null) {
      chromeTimer = setTimeout(() => {
        chromeTimer = null;
        state.dirty.chrome = true;
        schedule();
      }, wait);
    }
  }
  renderDetail();
  renderDepartmentPanel(state.dirty.chrome);
  state.dirty = cleanDirty();
  prepareHaystack();
}

drawWith(render);
bindKeys();
bindList();
startClock();
input.focus();
// the stream is already open (stream-open.ts); the session comes beside it, and what a frame drew
// before it came is drawn again with it (the controls it offers)
connect();
void loadSession().then(() => {
  state.dirty.chrome = true;
  schedule();
});
