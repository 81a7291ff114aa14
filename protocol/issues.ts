// zod's issues as the one-line "path: message" reasons every hanvisa error uses, so a message
// rejection, a config file and a users file name the field the same way. (zod's own
// z.prettifyError writes several lines per issue with arrows, which fits no log line.)
import type { z } from 'zod';

export interface IssueFormat {
  /** at most this many issues; all by default */
  max?: number;
  /** what stands for a problem with the whole value; `undefined` gives the message alone */
  root?: string;
  /** `a.2.b` (default) or `a[2].b` for files that are arrays of records */
  indexes?: 'dots' | 'brackets';
}

export function issueLines(error: z.ZodError, format: IssueFormat = {}): string[] {
  const { max = Number.POSITIVE_INFINITY, root, indexes = 'dots' } = format;
  return error.issues.slice(0, max).map((issue) => {
    const path =
      indexes === 'dots'
        ? issue.path.map(String).join('.')
        : issue.path
            .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
            .join('')
            .replace(/^\./, '');
    const where = path || root;
    return where === undefined ? issue.message : `${where}: ${issue.message}`;
  });
}
