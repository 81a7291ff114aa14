// The statistics as CSV for Excel: semicolon-separated with a UTF-8 byte order mark, which is what a
// Swedish or Danish Excel opens straight away with å, ä, ö, æ, ø intact. One line per series and period.
import type { Figures, Report } from './report.js';

const COLUMNS: (keyof Figures)[] = [
  'unstaffedMinutes',
  'alarms',
  'unrecordedMinutes',
  'referrals',
  'overdue',
  'overdueMinutesAvg',
  'overdueMinutesMax',
  'reopenedEarly',
  'deskOfflineMinutes',
  'messagesTaken',
  'messagesHandled',
  'messagesLate',
  'handleMinutesAvg',
  'calls',
  'answered',
  'answeredWithin',
  'abandoned',
  'waitP50',
  'waitP90',
  'queuePeak',
  'queueLongestSeconds',
  'unanswered',
  'unreferred',
];

/** A cell: `;`, quotes and line breaks quoted; a leading = + - @ neutralised (no formulas from data). */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text =
    typeof value === 'object'
      ? Object.entries(value)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')
      : String(value);
  if (/^[=+\-@]/.test(text) && typeof value !== 'number') text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function reportCsv(report: Report): string {
  const head = ['scope', 'department', 'ext', 'period', ...COLUMNS, 'byReason'];
  const lines = [head];
  const add = (scope: string, department: string, ext: string, f: Figures) =>
    lines.push([scope, department, ext, f.period, ...COLUMNS.map((c) => f[c]), f.byReason].map(cell));
  for (const f of report.total) add('total', '', '', f);
  for (const d of report.departments) for (const f of d.figures) add('department', d.department, '', f);
  for (const p of report.people ?? []) add('person', p.department, p.ext, p.figures);
  return `\uFEFF${lines.map((l) => l.map(String).join(';')).join('\r\n')}\r\n`;
}
