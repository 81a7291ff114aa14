// What a session receives: rows in wire form, each reduced to what the session's role may see. The
// redaction is here, in what is sent, not hidden in the page.
import { DEFAULT_REASONS, findReason } from '../../protocol/index.js';
import { mayGive, type NumberKind, numberVisibility } from '../../rules/numbers.js';
import { canSeeMessages, canSeeOrg, numberAudience, type Session, visibleReason } from '../auth/index.js';
import {
  CODED_COLUMNS,
  COLUMNS,
  type CodedColumn as Coded,
  type RedactedColumn,
  SNAPSHOT_COLUMNS,
} from './columns.js';
import type { BoardModel, Delta, Snapshot } from './model.js';
import type { Row } from './row.js';
import { rowDecoder, type WireRow } from './wire-rows.js';

export type { WireRow };

/** What the stream carries: the model's deltas with rows in wire form. */
export type WireDelta = Exclude<Delta, { type: 'row' }> | { type: 'row'; row: WireRow };

/**
 * The board in a snapshot: rows as arrays under `columns`, the coded columns as indexes into
 * `codes`. Around 40 % of the JSON of rows as objects at 50,000 people, and faster to parse.
 */
export interface WireSnapshot {
  orgs: Snapshot['orgs'];
  departments: Snapshot['departments'];
  queues: Snapshot['queues'];
  reasons: typeof DEFAULT_REASONS;
  broker: boolean;
  columns: readonly string[];
  codes: Record<Coded, string[]>;
  rows: unknown[][];
}

/** Whether the viewer sees this organisation, on a stream or snapshot limited to `only` (if given). */
export const sees = (viewer: Session, only: string | undefined, org: string) =>
  (!only || org === only) && canSeeOrg(viewer, org);

/** Streams and snapshots with the same view get the same bytes (what redaction depends on). */
export function viewOf(viewer: Session, only: string | undefined): string {
  const orgs = viewer.orgs === '*' ? '*' : viewer.orgs.join(',');
  return `${viewer.role}|${orgs}|${viewer.ext ?? ''}|${only ?? ''}`;
}

export interface Redaction {
  row(row: Row, viewer: Session): WireRow;
  delta(d: Delta, viewer: Session): WireDelta;
  /** The board as the viewer may see it, limited to one organisation if given. */
  snapshot(org: string | undefined, viewer: Session, broker: boolean): WireSnapshot;
}

export function createRedaction(
  model: BoardModel,
  deskLinks: ((ext: string, org: string) => string | undefined) | undefined,
): Redaction {
  const deskLink = (row: Row): string | null => {
    const url = deskLinks?.(row.ext, row.org);
    return url && /^https?:\/\//.test(url) ? url : null;
  };
  // issue 23: a number never leaves the server for a role it may not be given to
  const number = (row: Row, viewer: Session, kind: NumberKind) =>
    mayGive(numberAudience(viewer.role), numberVisibility(row.visibility, kind)) ? row[kind] : null;
  const catalogue = (org: string) => model.orgs.get(org)?.reasons ?? DEFAULT_REASONS;
  // A code missing from the catalogue counts as private: unknown means not shown.
  const reasonFor = (org: string, code: string, viewer: Session) =>
    visibleReason(viewer.role, findReason(code, catalogue(org)) ?? { code, privacy: 'private' });

  // The redacted columns (columns.ts), shared by the delta's row object and the snapshot's row array.
  const redacted: Record<RedactedColumn, (row: Row, viewer: Session) => unknown> = {
    reason: (row, viewer) => (row.reason === null ? null : reasonFor(row.org, row.reason, viewer)),
    // the next absence's reason as the person's own would be shown
    nextAbsence: (row, viewer) =>
      row.nextAbsence && { ...row.nextAbsence, reason: reasonFor(row.org, row.nextAbsence.reason, viewer) },
    note: (row, viewer) => (viewer.role === 'operator' ? row.note : null),
    phoneMessages: (row, viewer) =>
      canSeeMessages(viewer.role, viewer, row.ext, row.org) ? row.phoneMessages : null,
    desk: (row) => deskLink(row),
    direct: (row, viewer) => number(row, viewer, 'direct'),
    mobile: (row, viewer) => number(row, viewer, 'mobile'),
    email: (row, viewer) => number(row, viewer, 'email'),
  };
  // One reader per column, in snapshot order: the row's field, or what the viewer may see of it.
  const readers = COLUMNS.map((c): ((row: Row, viewer: Session) => unknown) =>
    'redacted' in c ? redacted[c.name] : (row) => row[c.name],
  );

  const row = (row: Row, viewer: Session): WireRow => {
    const wire: Record<string, unknown> = {};
    for (let i = 0; i < COLUMNS.length; i++) {
      const v = readers[i]?.(row, viewer);
      if (v !== null && v !== 0) wire[COLUMNS[i]?.name as string] = v;
    }
    return wire as WireRow;
  };

  return {
    row,
    delta(d, viewer) {
      if (d.type === 'row') return { type: d.type, row: row(d.row, viewer) };
      // the bridge sends a private reason only as away; a role that may not see one gets away too
      if (d.type === 'call' && d.call.reason !== undefined)
        return { ...d, call: { ...d.call, reason: reasonFor(d.org, d.call.reason, viewer) } };
      return d;
    },
    snapshot(org, viewer, broker) {
      const s = model.snapshot();
      const inOrg = <T extends { org: string }>(items: T[]) => items.filter((i) => sees(viewer, org, i.org));
      const codes = Object.fromEntries(CODED_COLUMNS.map((c) => [c, []])) as unknown as Record<
        Coded,
        string[]
      >;
      // a map per column: no key strings built for 250,000 lookups
      const indexes = Object.fromEntries(CODED_COLUMNS.map((c) => [c, new Map<string, number>()])) as Record<
        Coded,
        Map<string, number>
      >;
      const code = (column: Coded, value: string | null): number | null => {
        if (value === null) return null;
        const seen = indexes[column];
        let i = seen.get(value);
        if (i === undefined) {
          i = codes[column].push(value) - 1;
          seen.set(value, i);
        }
        return i;
      };
      const coders = COLUMNS.map((c) => ('coded' in c ? c.name : undefined));
      const rows: unknown[][] = [];
      for (const r of s.rows) {
        if (!sees(viewer, org, r.org)) continue;
        const a: unknown[] = new Array(COLUMNS.length);
        for (let i = 0; i < COLUMNS.length; i++) {
          const v = readers[i]?.(r, viewer) ?? null;
          const coded = coders[i];
          a[i] = coded ? code(coded, v as string | null) : v === 0 ? null : v;
        }
        let n = a.length;
        while (n > 0 && a[n - 1] === null) n--;
        a.length = n;
        rows.push(a);
      }
      return {
        orgs: Object.fromEntries(Object.entries(s.orgs).filter(([o]) => sees(viewer, org, o))),
        phoneLinks: Object.fromEntries(Object.entries(s.phoneLinks).filter(([o]) => sees(viewer, org, o))),
        departments: inOrg(s.departments),
        queues: inOrg(s.queues),
        reasons: DEFAULT_REASONS,
        broker,
        columns: SNAPSHOT_COLUMNS,
        codes,
        rows,
      };
    },
  };
}

/** The snapshot's rows as objects again, empty fields left out as in a delta's row (what tests read). */
export function unpackRows(s: WireSnapshot): WireRow[] {
  const decode = rowDecoder(s.columns, s.codes);
  return s.rows.map(
    (a) => Object.fromEntries(Object.entries(decode(a)).filter(([, v]) => v !== null && v !== 0)) as WireRow,
  );
}
