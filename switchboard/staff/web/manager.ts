// The manager's part of the staff page: each of their departments' coverage now (who is in) and today's
// figures against the service level they set, which they can change here (docs/staff.md, "Managers").
import type { ReasonDefinition } from '../../../protocol/index.js';
import type { Language } from '../../../protocol/languages.js';
import { stateText } from '../../board/web/format.js';
import type { DepartmentCoverage, ManagerView } from '../manager-view.js';
import { STAFF_TEXT } from './texts.js';

type Post = (path: string, body: unknown) => Promise<void>;

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text = '', testid = '') => {
  const e = document.createElement(tag);
  if (text) e.textContent = text;
  if (testid) e.dataset.testid = testid;
  return e;
};

function figures(d: DepartmentCoverage, view: ManagerView, lang: Language): HTMLElement {
  const t = STAFF_TEXT[lang];
  const box = el('dl', '', `figures-${d.id}`);
  if (!d.today) {
    box.append(el('dd', t.noStats));
    return box;
  }
  const target = d.target;
  const share =
    d.answeredWithinPercent === null
      ? t.noCalls
      : `${d.answeredWithinPercent} % (${d.today.answeredWithin}/${d.today.calls})`;
  const verdict =
    target && d.answeredWithinPercent !== null
      ? d.answeredWithinPercent >= target.answeredWithinPercent
        ? t.met
        : t.missed
      : '';
  const answered = el('dd', '', `answered-${d.id}`);
  answered.textContent = [share, target ? `${t.target} ${target.answeredWithinPercent} %` : '', verdict]
    .filter(Boolean)
    .join(' · ');
  answered.dataset.met = verdict === t.met ? 'yes' : verdict ? 'no' : '';
  const unstaffed = el('dd', `${d.today.unstaffedMinutes} min`);
  if (target?.maxUnstaffedMinutes !== undefined)
    unstaffed.textContent += ` · ${t.atMost} ${target.maxUnstaffedMinutes} min`;
  box.append(el('dt', t.answeredIn.replace('{s}', String(view.thresholdSeconds))), answered);
  box.append(el('dt', t.unstaffedToday), unstaffed);
  return box;
}

function targetForm(d: DepartmentCoverage, view: ManagerView, lang: Language, post: Post): HTMLElement {
  const t = STAFF_TEXT[lang];
  const form = el('form', '', `target-form-${d.id}`);
  form.noValidate = true;
  const field = (label: string, id: string, value: number | undefined, max: number) => {
    const l = el('label', label);
    l.htmlFor = `${id}-${d.id}`;
    const input = el('input', '', `${id}-${d.id}`);
    input.id = `${id}-${d.id}`;
    input.type = 'number';
    input.min = '0';
    input.max = String(max);
    input.inputMode = 'numeric';
    if (value !== undefined) input.value = String(value);
    form.append(l, input);
    return input;
  };
  const percent = field(
    t.targetPercent.replace('{s}', String(view.thresholdSeconds)),
    'target-percent',
    d.target?.answeredWithinPercent,
    100,
  );
  const minutes = field(t.targetUnstaffed, 'target-unstaffed', d.target?.maxUnstaffedMinutes, 1440);
  const save = el('button', t.saveTarget, `target-save-${d.id}`);
  save.type = 'submit';
  form.append(save);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void post(`/api/manager/service-level/${d.id}`, {
      answeredWithinPercent: Number(percent.value),
      ...(minutes.value.trim() ? { maxUnstaffedMinutes: Number(minutes.value) } : {}),
    });
  });
  return form;
}

/** Draws the manager's section from GET /api/manager into `section` (shown only for managers). */
export function renderManager(
  section: HTMLElement,
  view: ManagerView,
  catalogue: readonly ReasonDefinition[],
  lang: Language,
  post: Post,
): void {
  const t = STAFF_TEXT[lang];
  section.hidden = false;
  section.textContent = '';
  section.append(el('h2', t.myDepartments));
  for (const d of view.departments) {
    const part = el('article', '', `department-${d.id}`);
    part.append(el('h3', d.name));
    const coverage = el('p', '', `coverage-${d.id}`);
    coverage.textContent = d.available
      ? t.availableOf.replace('{a}', String(d.available)).replace('{n}', String(d.people.length))
      : t.nobodyIn;
    coverage.dataset.available = String(d.available);
    const people = el('ul');
    people.className = 'people';
    for (const p of d.people) people.append(el('li', `${p.name ?? p.ext}: ${stateText(p, lang, catalogue)}`));
    part.append(coverage, people, figures(d, view, lang), targetForm(d, view, lang, post));
    section.append(part);
  }
}
