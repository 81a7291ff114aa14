// The operator's controls in the detail panel: a referral on the person's behalf, and a phone message.
// Built when another person is opened (not every frame), so what the operator types survives deltas.
import { button, field } from './elements.js';
import { post, session } from './session.js';
import { catalogueOf, keyOf, state, t } from './state.js';

/** Runs a write and says how it went in `out` (aria-live, so a screen reader hears it too). */
export function attempt(out, run) {
  out.dataset.state = 'busy';
  out.textContent = '…';
  run().then(
    () => {
      out.dataset.state = 'ok';
      out.textContent = t().saved;
    },
    (e) => {
      out.dataset.state = 'error';
      out.textContent = `${t().failed}: ${e.message}`;
    },
  );
}

/** "1530", "930", "9.30" → "15:30", "09:30"; anything else is sent as typed for the server to refuse. */
function hhmm(text) {
  const m = /^(\d{1,2})[:.]?(\d{2})$/.exec(text.trim());
  return m ? `${m[1].padStart(2, '0')}:${m[2]}` : text.trim();
}

/** The `until` of a request from the date and time fields; neither: the reason's default (chained). */
function untilOf(date, time) {
  const t = time.trim() ? hhmm(time) : '';
  if (date) return { until: t ? `${date} ${t}` : date };
  return t ? { until: t } : {};
}

/** The alternative answering point typed; nothing typed keeps the one the absence has. */
function altOf(forward, info) {
  if (forward.trim()) return { alt: { kind: 'forward', to: forward.trim() } };
  if (info.trim()) return { alt: { kind: 'info', text: info.trim() } };
  return {};
}

/** A headed section of controls. */
function actionSection(testid, heading) {
  const section = document.createElement('section');
  section.className = 'actions';
  section.dataset.testid = testid;
  const title = document.createElement('h3');
  title.textContent = heading;
  section.append(title);
  return section;
}

/** Where `attempt` says how a write went. */
function resultLine(testid) {
  const out = document.createElement('p');
  out.className = 'result';
  out.dataset.testid = testid;
  out.setAttribute('aria-live', 'polite');
  return out;
}

let actionsKey = '';
/** Fills `box` with the controls for acting on the row's person; a viewer gets none. */
export function renderActions(row, box) {
  const key = session.role === 'operator' ? `${keyOf(row)}|${state.lang}` : '';
  if (key === actionsKey) return;
  actionsKey = key;
  box.textContent = '';
  if (!key) return;
  const h = t();
  const path = (kind) => `/api/${kind}/${row.org}/${row.ext}`;

  const referral = actionSection('act', h.setReferral);
  // Text, not type=time: the same 24-hour HH:MM in every browser language, typed as 1530 or 15:30,
  // with no picker to trap the Tab key. The server reads it in the person's organisation's time zone.
  const until = document.createElement('input');
  until.inputMode = 'numeric';
  until.maxLength = 5;
  until.placeholder = '15:30';
  until.dataset.testid = 'act-until';
  // A date as well ("sick until Monday", "vacation until 7 January"): type=date sends YYYY-MM-DD in
  // every browser language; alone it means the start of that working day (the server's rule).
  const untilDate = document.createElement('input');
  untilDate.type = 'date';
  untilDate.dataset.testid = 'act-until-date';
  // The alternative answering point (SAMSA): forward to a colleague, or information for the operator.
  const altForward = document.createElement('input');
  altForward.inputMode = 'numeric';
  altForward.maxLength = 15;
  altForward.dataset.testid = 'act-alt-forward';
  const altInfo = document.createElement('input');
  altInfo.maxLength = 120;
  altInfo.dataset.testid = 'act-alt-info';
  const furtherNotice = document.createElement('input');
  furtherNotice.type = 'checkbox';
  furtherNotice.dataset.testid = 'act-further-notice';
  const note = document.createElement('input');
  note.maxLength = 80;
  note.dataset.testid = 'act-note';
  const out = resultLine('act-result');
  const reasons = document.createElement('div');
  reasons.className = 'reasons';
  for (const r of catalogueOf(row.org)) {
    reasons.append(
      button(r.labels[state.lang], `act-${r.code}`, () =>
        attempt(out, () =>
          post(path('presence'), {
            reason: r.code,
            // a reason that needs a return time refuses "until further notice", with the reason shown
            ...(furtherNotice.checked ? { untilFurtherNotice: true } : untilOf(untilDate.value, until.value)),
            ...altOf(altForward.value, altInfo.value),
            ...(note.value.trim() ? { note: note.value.trim() } : {}),
          }),
        ),
      ),
    );
  }
  reasons.append(
    button(h.open, 'act-open', () => attempt(out, () => post(path('presence'), { open: true }))),
  );
  const ufn = field(h.furtherNotice, furtherNotice);
  ufn.className = 'check';
  referral.append(
    field(h.untilDate, untilDate),
    field(h.untilAt, until),
    ufn,
    field(h.altForward, altForward),
    field(h.altInfo, altInfo),
    field(h.note, note),
    reasons,
    out,
  );

  const message = actionSection('msg', h.takeMessage);
  const from = document.createElement('input');
  from.maxLength = 120;
  from.dataset.testid = 'msg-from';
  const number = document.createElement('input');
  number.maxLength = 32;
  number.inputMode = 'tel';
  number.dataset.testid = 'msg-number';
  const text = document.createElement('textarea');
  text.maxLength = 1000;
  text.rows = 3;
  text.dataset.testid = 'msg-text';
  const mOut = resultLine('msg-result');
  const save = button(h.saveMessage, 'msg-save', () =>
    attempt(mOut, async () => {
      await post(path('messages'), {
        from: from.value,
        text: text.value,
        ...(number.value.trim() ? { number: number.value.trim() } : {}),
      });
      from.value = '';
      number.value = '';
      text.value = '';
    }),
  );
  message.append(field(h.from, from), field(h.number, number), field(h.text, text), save, mOut);
  box.append(referral, message);
}
