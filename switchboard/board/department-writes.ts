// The department referral's routes (department-referral.ts has the rules): refer every member of a
// department at once, and undo it. Each person's referral goes out as their own presence, by the
// operator, so the recorder's audit trail (audit.ts) lists it for each of them, the undo as well; the
// board's log has the one line per action with its id.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLogger } from '../../log/logger.js';
import { type Actor, SEGMENT_PATTERNS } from '../../protocol/index.js';
import { policyFromOrg } from '../../rules/policy.js';
import { type Auth, canReferDepartment, type Session } from '../auth/index.js';
import { setBounded } from '../bounded-map.js';
import {
  type DepartmentRecord,
  DepartmentReferralRequest,
  DepartmentUndoRequest,
  planDepartmentReferral,
  undoStep,
} from './department-referral.js';
import { type HttpCounts, HttpError, json, parseBody } from './http.js';
import type { BoardModel } from './model.js';
import type { Writes } from './writes.js';

/** /api/department/{org}/{dept}/referral and …/referral/undo */
export const DEPARTMENT_PATH = /^\/api\/department\/([^/]+)\/([^/]+)\/referral(\/undo)?$/;

const log = createLogger('board');
/** Undo is for the action just taken: the newest few per board are kept. */
const KEPT = 50;

export interface DepartmentWrites {
  handle(req: IncomingMessage, res: ServerResponse, path: string, session: Session): Promise<void>;
}

export function createDepartmentWrites(options: {
  model: BoardModel;
  writes: Pick<Writes, 'commit'>;
  auth: Auth;
  orgs: string[] | undefined;
  now: () => number;
  http: HttpCounts;
}): DepartmentWrites {
  const { model, writes, auth, orgs, now, http } = options;
  const records = new Map<string, DepartmentRecord>();

  const refer = async (req: IncomingMessage, org: string, department: string, actor: Actor, by: string) => {
    const request = await parseBody(req, DepartmentReferralRequest);
    const members = model
      .snapshot()
      .rows.filter((r) => r.org === org && r.department === department && r.name !== null)
      .map((r) => ({ ext: r.ext, presence: model.currentPresence(org, r.ext) }));
    if (members.length === 0)
      throw new HttpError(404, `no people in department ${department}`, 'department', 'empty');
    const at = new Date(now());
    const plan = planDepartmentReferral(members, request, {
      now: at,
      policy: policyFromOrg(model.orgs.get(org)),
      actor,
    });
    if (!plan.ok) throw new HttpError(400, plan.error, plan.field, plan.code);
    const record: DepartmentRecord = {
      id: randomUUID(),
      org,
      department,
      by,
      at: at.toISOString(),
      note: request.note || null,
      emergency: request.emergency || null,
      steps: [],
    };
    // one by one: a broker that stops taking them leaves the ones taken undoable
    try {
      for (const step of plan.value.steps) {
        await writes.commit({ kind: 'presence', org, ext: step.ext, body: step.written });
        record.steps.push(step);
      }
    } finally {
      if (record.steps.length) keep(record);
    }
    log.info('department referred', { org, department, by, id: record.id, people: record.steps.length });
    return { id: record.id, referred: record.steps.map((s) => s.ext), kept: plan.value.kept };
  };

  const keep = (record: DepartmentRecord) => {
    setBounded(records, record.id, record, KEPT);
  };

  const undo = async (req: IncomingMessage, org: string, department: string, actor: Actor) => {
    const { id } = await parseBody(req, DepartmentUndoRequest);
    const record = records.get(id);
    if (!record || record.org !== org || record.department !== department)
      throw new HttpError(404, 'no such department referral on this board', 'id', 'unknown');
    const restored: string[] = [];
    const kept: string[] = [];
    const at = new Date(now());
    for (const step of record.steps) {
      const back = undoStep(step, model.currentPresence(org, step.ext), { now: at, actor });
      if (back === 'changed-since') kept.push(step.ext);
      else {
        await writes.commit({ kind: 'presence', org, ext: step.ext, body: back });
        restored.push(step.ext);
      }
    }
    records.delete(id);
    log.info('department referral undone', { org, department, by: actor.id, id, restored: restored.length });
    return { restored, changedSince: kept };
  };

  return {
    async handle(req, res, path, session) {
      const [, org = '', department = '', undoing] = DEPARTMENT_PATH.exec(path) ?? [];
      if (!SEGMENT_PATTERNS.org.test(org) || !SEGMENT_PATTERNS.departmentId.test(department))
        throw new HttpError(400, 'org, department: lower-case letters, digits, -', 'department', 'invalid');
      if (!canReferDepartment(session, org, department))
        throw new HttpError(403, `the ${session.role} role may not do this`, '', 'forbidden');
      if (!auth.checkCsrf(req, res, session)) {
        http.rejected++;
        return;
      }
      if ((orgs?.length && !orgs.includes(org)) || !model.departments.has(`${org}/${department}`))
        throw new HttpError(
          404,
          `no department ${department} in ${org} on this board`,
          'department',
          'unknown',
        );
      const actor: Actor = { kind: 'operator', id: session.username };
      json(
        req,
        res,
        undoing
          ? await undo(req, org, department, actor)
          : await refer(req, org, department, actor, session.username),
      );
    },
  };
}
