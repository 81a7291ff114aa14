// What a session receives: rows in wire form, each reduced to what the session's role may see. The
// redaction is here, in what is sent, not hidden in the page.
import { DEFAULT_REASONS, findReason } from '../../protocol/index.js';
import { canSeeMessages, canSeeOrg, type Session, visibleReason } from '../auth/index.js';
import type { BoardModel, Delta, Row } from './model.js';

/** A row on the wire: empty fields (null, 0) are left out, a third less to send for 50,000 people. */
export type WireRow = Partial<Row> & { org: string; ext: string; desk?: string };

/** What the stream carries: the model's deltas with rows in wire form. */
export type WireDelta = Exclude<Delta, { type: 'row' }> | { type: 'row'; row: WireRow };

function compact(row: Row): WireRow {
  const wire: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (v !== null && v !== 0) wire[k] = v;
  return wire as WireRow;
}

/** Whether the viewer sees this organisation, on a stream or snapshot limited to `only` (if given). */
export const sees = (viewer: Session, only: string | undefined, org: string) =>
  (!only || org === only) && canSeeOrg(viewer, org);

export interface Redaction {
  row(row: Row, viewer: Session): WireRow;
  delta(d: Delta, viewer: Session): WireDelta;
  /** The board as the viewer may see it, limited to one organisation if given. */
  snapshot(org: string | undefined, viewer: Session, broker: boolean): unknown;
}

export function createRedaction(
  model: BoardModel,
  deskLinks: ((ext: string, org: string) => string | undefined) | undefined,
): Redaction {
  const deskLink = (row: Row): string | undefined => {
    const url = deskLinks?.(row.ext, row.org);
    return url && /^https?:\/\//.test(url) ? url : undefined;
  };
  const catalogue = (org: string) => model.orgs.get(org)?.reasons ?? DEFAULT_REASONS;
  const row = (row: Row, viewer: Session): WireRow => {
    const wire = compact(row);
    if (viewer.role !== 'operator') {
      if (row.reason !== null) {
        // A code missing from the catalogue counts as private: unknown means not shown.
        const def = findReason(row.reason, catalogue(row.org)) ?? { code: row.reason, privacy: 'private' };
        wire.reason = visibleReason(viewer.role, def);
      }
      delete wire.note;
    }
    if (!canSeeMessages(viewer.role, viewer, row.ext, row.org)) delete wire.phoneMessages;
    const desk = deskLink(row);
    if (desk) wire.desk = desk;
    return wire;
  };
  return {
    row,
    delta: (d, viewer) => (d.type === 'row' ? { type: d.type, row: row(d.row, viewer) } : d),
    snapshot(org, viewer, broker) {
      const s = model.snapshot();
      const inOrg = <T extends { org: string }>(items: T[]) => items.filter((i) => sees(viewer, org, i.org));
      return {
        orgs: Object.fromEntries(Object.entries(s.orgs).filter(([o]) => sees(viewer, org, o))),
        departments: inOrg(s.departments),
        queues: inOrg(s.queues),
        rows: inOrg(s.rows).map((r) => row(r, viewer)),
        reasons: DEFAULT_REASONS,
        broker,
      };
    },
  };
}
