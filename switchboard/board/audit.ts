// Who changed a person's referral from the board, when, and to what: the lines the operator sees in
// the person's details. Kept in the board's memory (the last AUDIT_LINES per person); the newest change
// also survives a restart without a store of its own, because the retained presence carries who set it
// (`by`) and when (`at`), and `linesFor` adds it back when memory does not hold it.
import type { Presence } from '../../protocol/index.js';

export interface AuditLine {
  /** when the change was made (the presence's `at`) */
  at: string;
  /** the operator's username */
  by: string;
  /** the reason set, or null: made available */
  reason: string | null;
  until: string | null;
}

export const AUDIT_LINES = 20;

export class AuditTrail {
  private readonly byPerson = new Map<string, AuditLine[]>();

  /** Records a presence an operator published for the person. */
  record(org: string, ext: string, presence: Presence): void {
    const key = `${org}/${ext}`;
    const lines = this.byPerson.get(key) ?? [];
    lines.unshift(lineOf(presence));
    if (lines.length > AUDIT_LINES) lines.length = AUDIT_LINES;
    this.byPerson.set(key, lines);
  }

  /** Newest first; `current` (the retained presence) supplies the newest after a restart. */
  linesFor(org: string, ext: string, current: Presence | null): AuditLine[] {
    const lines = this.byPerson.get(`${org}/${ext}`) ?? [];
    if (current?.by.kind === 'operator' && !lines.some((l) => l.at === current.at && l.by === current.by.id))
      return [lineOf(current), ...lines].slice(0, AUDIT_LINES);
    return [...lines];
  }
}

function lineOf(p: Presence): AuditLine {
  return {
    at: p.at,
    by: p.by.id,
    reason: p.status === 'away' ? p.reason : null,
    until: p.status === 'away' ? p.until : null,
  };
}
