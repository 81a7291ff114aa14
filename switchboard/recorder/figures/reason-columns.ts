// One column per reason, named in the page's language from the organisation's catalogue (directory/org,
// else the default one). Private reasons (sick, vacation: health and family data) are counted in the
// department and organisation figures only, never per person (issue 23 takes this further).
import type { Language, ReasonDefinition } from '../../../protocol/index.js';
import type { Report } from './report.js';

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

/** The report without private reasons per person. */
export function withoutPrivatePersonReasons(report: Report, columns: readonly ReasonColumn[]): Report {
  if (!report.people) return report;
  const hidden = new Set(columns.filter((c) => c.private).map((c) => c.code));
  return {
    ...report,
    people: report.people.map((p) => ({
      ...p,
      figures: {
        ...p.figures,
        byReason: Object.fromEntries(
          Object.entries(p.figures.byReason).filter(([code]) => !hidden.has(code)),
        ),
      },
    })),
  };
}
