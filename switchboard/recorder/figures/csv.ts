// The statistics as CSV. Two forms of one table: with a language (the page's link) it is for Excel in
// that language: headers and reason names in it, and numbers with its decimal mark (comma in Swedish
// and Danish); without one it is for programs: the figures' keys as headers and a decimal point. Both
// are semicolon-separated with a UTF-8 byte order mark, which a Swedish or Danish Excel opens straight
// away with å, ä, ö, æ, ø intact. One line per series and period; every line says its first and last day.
import type { Language } from '../../../protocol/index.js';
import type { ReasonColumn } from './reason-columns.js';
import type { Figures, Report } from './report.js';

/** Each figure's column and the page's text that names it (stats-text.ts). */
export const CSV_COLUMNS: readonly (readonly [keyof Figures, string])[] = [
  ['unstaffedMinutes', 'unstaffed'],
  ['alarms', 'alarms'],
  ['unrecordedMinutes', 'unrecorded'],
  ['referrals', 'referrals'],
  ['overdue', 'overdue'],
  ['overdueMinutesAvg', 'overdueAvg'],
  ['overdueMinutesMax', 'overdueMax'],
  ['reopenedEarly', 'reopenedEarly'],
  ['deskOfflineMinutes', 'deskOffline'],
  ['messagesTaken', 'taken'],
  ['messagesHandled', 'handled'],
  ['messagesLate', 'late'],
  ['handleMinutesAvg', 'handleAvg'],
  ['calls', 'calls'],
  ['answered', 'answered'],
  ['answeredWithin', 'answeredWithin'],
  ['abandoned', 'abandoned'],
  ['waitP50', 'waitP50'],
  ['waitP90', 'waitP90'],
  ['queuePeak', 'queuePeak'],
  ['queueLongestSeconds', 'queueLongest'],
  ['unanswered', 'unanswered'],
  ['unreferred', 'unreferred'],
  ['ringAnswered', 'ringAnswered'],
  ['answeredInRings', 'answeredInRings'],
  ['answeredInRingsPct', 'answeredInRingsPct'],
  ['transfers', 'transfers'],
  ['transferredCorrectly', 'transferredCorrectly'],
  ['transfersBounced', 'transfersBounced'],
  ['transferredCorrectlyPct', 'transferredCorrectlyPct'],
];

export interface CsvOptions {
  reasons: readonly ReasonColumn[];
  /** department id → name */
  departments: Record<string, string>;
  /** extension → the person's name (only where the role may see people) */
  people: Record<string, string>;
  /** the human form: texts in this language (a text key → its words) and its number format */
  human?: { lang: Language; text: (key: string) => string };
}

/**
 * A cell: `;`, quotes and line breaks quoted; a leading = + - @, tab or carriage return neutralised
 * with a quote (OWASP's CSV injection list: names and reason labels are free text from the directory).
 */
export function cell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function reportCsv(report: Report, options: CsvOptions): string {
  const { human } = options;
  const decimal = human && human.lang !== 'en' ? ',' : '.';
  const number = (v: number | null) => (v === null ? '' : String(v).replace('.', decimal));
  const head = human
    ? [
        ...['scope', 'department', 'ext', 'name', 'firstDay', 'lastDay'].map(human.text),
        ...CSV_COLUMNS.map(([, text]) => human.text(text)),
        ...options.reasons.map((r) => r.label),
      ]
    : [
        ...['scope', 'department', 'ext', 'name', 'firstDay', 'lastDay'],
        ...CSV_COLUMNS.map(([key]) => key),
        ...options.reasons.map((r) => `reason:${r.code}`),
      ];
  const lines = [head.map(cell)];
  const add = (scope: string, department: string, ext: string, f: Figures) => {
    const name = ext ? (options.people[ext] ?? '') : '';
    const dept = human ? (options.departments[department] ?? department) : department;
    const reasons = options.reasons.map((r) =>
      // per person, or for a group too small, a private reason has no value at all, not a zero
      (ext || f.privateHidden) && r.private ? '' : number(f.byReason[r.code] ?? 0),
    );
    lines.push(
      [
        human ? human.text(`scope-${scope}`) : scope,
        dept,
        ext,
        name,
        f.firstDay,
        f.lastDay,
        ...CSV_COLUMNS.map(([key]) => number(f[key] as number | null)),
        ...reasons,
      ].map(cell),
    );
  };
  for (const f of report.total) add('total', '', '', f);
  for (const d of report.departments) for (const f of d.figures) add('department', d.department, '', f);
  for (const p of report.people ?? []) add('person', p.department, p.ext, p.figures);
  return `\uFEFF${lines.map((l) => l.join(';')).join('\r\n')}\r\n`;
}
