// One column per reason, named in the page's language from the organisation's catalogue (directory/org,
// else the default one). Private reasons (sick, vacation: health and family data) are shown in the
// department and organisation figures of groups large enough only, never per person (docs/recorder.md).
import type { Language, ReasonDefinition } from '../../../protocol/index.js';
import type { Figures, Report } from './report.js';

export interface ReasonColumn {
  code: string;
  label: string;
  /** not shown per person; a code missing from the catalogue counts as private, as on the board */
  private: boolean;
}

/** The reasons recorded in the report, in the catalogue's order, then any the catalogue no longer has. */
export function reasonColumns(
  report: Report,
  catalogue: readonly ReasonDefinition[],
  lang: Language,
): ReasonColumn[] {
  const recorded = new Set(Object.keys(report.overall.byReason));
  const known = catalogue
    .filter((r) => recorded.has(r.code))
    .map((r) => ({ code: r.code, label: r.labels[lang], private: r.privacy === 'private' }));
  const named = new Set(known.map((r) => r.code));
  const unknown = [...recorded]
    .filter((code) => !named.has(code))
    .sort()
    .map((code) => ({ code, label: code, private: true }));
  return [...known, ...unknown];
}

/** How many people each group has (the directory's), for the minimum group size of private reasons. */
export interface GroupSizes {
  /** the organisation, or the one department asked for */
  total: number;
  departments: Readonly<Record<string, number>>;
}

/** Private reasons shown for a group of at least this many people, never per person (docs/recorder.md). */
export const DEFAULT_MIN_GROUP_SIZE = 5;

/**
 * The figures without private reasons: their counts leave `byReason` and the referrals total (so no
 * subtraction gives them back), and `privateHidden` says so.
 */
function hidden(f: Figures, codes: ReadonlySet<string>): Figures {
  let removed = 0;
  const byReason: Record<string, number> = {};
  for (const [code, n] of Object.entries(f.byReason))
    if (codes.has(code)) removed += n;
    else byReason[code] = n;
  return { ...f, referrals: f.referrals - removed, byReason, privateHidden: true };
}

/**
 * The report as it may be shown: private reasons never per person, and for the organisation or a
 * department only when it has at least `minGroupSize` people (GDPR art. 9: sickness is health data).
 */
export function withPrivateReasonsHidden(
  report: Report,
  columns: readonly ReasonColumn[],
  sizes: GroupSizes,
  minGroupSize: number,
): Report {
  const codes = new Set(columns.filter((c) => c.private).map((c) => c.code));
  const small = (people: number) => people < minGroupSize;
  const group = (list: Figures[], people: number) =>
    small(people) ? list.map((f) => hidden(f, codes)) : list;
  const totalSmall = small(sizes.total);
  return {
    ...report,
    total: group(report.total, sizes.total),
    overall: totalSmall ? hidden(report.overall, codes) : report.overall,
    departments: report.departments.map((d) => {
      const people = sizes.departments[d.department] ?? 0;
      return small(people)
        ? { ...d, figures: group(d.figures, people), overall: hidden(d.overall, codes) }
        : d;
    }),
    ...(report.people
      ? { people: report.people.map((p) => ({ ...p, figures: hidden(p.figures, codes) })) }
      : {}),
  };
}
