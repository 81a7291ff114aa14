// The department panel's one action for a whole department leaving (SAMSA §6: "Om hela avdelningen
// lämnas obemannad skall alla telefoner hänvisas och växelpersonalen skall meddelas. Lämna gärna ett
// nummer till växeln som kan nås vid nödläge"): a reason, a return time, a note and the emergency
// number for everyone at once, and Undo, which gives each person back what they had (the server's
// rule, department-referral.ts). Built once per department and kept across the panel's redraws, so
// what the operator types survives the deltas the action itself causes.
import { button, field } from './elements.js';
import { checkReferral } from './errors.js';
import { actionSection, attempt, type ErrorLines, errorLine, resultLine } from './form-parts.js';
import { post, session } from './session.js';
import { catalogueOf, state, t } from './state.js';

let built: { key: string; lang: string; section: HTMLElement } | null = null;

/** The section for the department `key` ('org/dept'), or null for a role that may not refer a department. */
export function departmentActions(key: string, org: string): HTMLElement | null {
  if (session.role !== 'operator') return null;
  if (built?.key === key && built.lang === state.lang) return built.section;
  built = { key, lang: state.lang, section: build(key, org) };
  return built.section;
}

function build(key: string, org: string): HTMLElement {
  const h = t();
  const department = key.slice(org.length + 1);
  const path = `/api/department/${org}/${department}/referral`;
  const section = actionSection('dept-act', h.referDepartment);
  const reason = document.createElement('select');
  reason.dataset.testid = 'dept-act-reason';
  for (const r of catalogueOf(org)) reason.append(new Option(r.labels[state.lang], r.code));
  const input = (testid: string, max: number) => {
    const el = document.createElement('input');
    el.maxLength = max;
    el.dataset.testid = testid;
    return el;
  };
  const untilDate = input('dept-act-until-date', 10);
  const until = input('dept-act-until', 5);
  until.inputMode = 'numeric';
  until.placeholder = h.untilHint;
  const note = input('dept-act-note', 80);
  const emergency = input('dept-act-emergency', 32);
  emergency.inputMode = 'tel';
  const out = resultLine('dept-act-result');
  const errors: ErrorLines = {
    until: errorLine('dept-err-until'),
    untilDate: errorLine('dept-err-until-date'),
  };
  const undoBox = document.createElement('p');
  undoBox.dataset.testid = 'dept-act-undo-box';
  undoBox.hidden = true;
  const send = button(h.referAll, 'dept-act-send', () => {
    const chosen = catalogueOf(org).find((r) => r.code === reason.value);
    if (!chosen) return;
    const checked = checkReferral(
      {
        reason: chosen,
        until: until.value,
        untilDate: untilDate.value,
        furtherNotice: false,
        note: note.value,
      },
      catalogueOf(org),
      state.lang,
    );
    if (!checked.ok) return attempt(out, () => Promise.reject(checked), errors);
    const body = {
      ...checked.body,
      ...(emergency.value.trim() ? { emergency: emergency.value.trim() } : {}),
    };
    attempt(
      out,
      async () => {
        const answer = (await post(path, body)) as { id: string; referred: string[]; kept: string[] };
        offerUndo(undoBox, path, answer);
      },
      errors,
    );
  });
  section.append(
    field(h.setReferral, reason),
    field(h.untilDate, untilDate),
    errors.untilDate as HTMLElement,
    field(h.untilAt, until),
    errors.until as HTMLElement,
    field(h.note, note),
    field(h.emergencyNumber, emergency),
    send,
    out,
    undoBox,
  );
  return section;
}

/** After the action: how many were referred, and Undo for all of them. */
function offerUndo(
  box: HTMLElement,
  path: string,
  answer: { id: string; referred: string[]; kept: string[] },
): void {
  const h = t();
  box.textContent = '';
  box.hidden = false;
  const said = document.createElement('span');
  said.textContent = [
    h.referredAll.replace('{n}', String(answer.referred.length)),
    answer.kept.length ? h.keptLonger.replace('{n}', String(answer.kept.length)) : '',
  ]
    .filter(Boolean)
    .join('; ');
  const out = resultLine('dept-undo-result');
  const undo = button(h.undoDepartment, 'dept-act-undo', () => {
    undo.disabled = true;
    attempt(out, async () => {
      const done = (await post(`${path}/undo`, { id: answer.id })) as {
        restored: string[];
        changedSince: string[];
      };
      said.textContent = [
        h.undoneDepartment.replace('{n}', String(done.restored.length)),
        done.changedSince.length ? h.changedSince.replace('{n}', String(done.changedSince.length)) : '',
      ]
        .filter(Boolean)
        .join('; ');
    });
  });
  box.append(said, ' ', undo, out);
}
