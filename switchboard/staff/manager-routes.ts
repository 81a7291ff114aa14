// The manager's view (managers only, their own departments: access.ts managesDepartment): GET
// /api/manager, each department's coverage now and today's figures against the service level its
// manager set; POST /api/manager/service-level/{department} sets it, published retained
// (board/service-level/{departmentId}) so every board shows the same (docs/staff.md, "Managers").
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { createLogger } from '../../log/logger.js';
import { DEFAULT_REASONS, findReason, type Message, SEGMENT_PATTERNS } from '../../protocol/index.js';
import { policyFromOrg } from '../../rules/policy.js';
import { type Auth, managesDepartment, type Session, visibleReason } from '../auth/index.js';
import type { ServiceLevels } from '../board/features/service-levels.js';
import { HttpError, json, parseBody } from '../board/http.js';
import type { BoardModel } from '../board/model.js';
import { dayKey } from '../recorder/figures/periods.js';
import { DEFAULT_HEARTBEAT_MS } from '../recorder/options.js';
import { statsReport } from '../recorder/stats.js';
import type { Storage } from '../recorder/storage/port.js';
import type { TodayFigures } from '../recorder/today.js';
import type { DepartmentCoverage, ManagerView } from './manager-view.js';

const TARGET_PATH = /^\/api\/manager\/service-level\/([^/]+)$/;
/** answered within this many seconds counts as in time: the statistics page's threshold */
const THRESHOLD_SECONDS = 20;

export const ServiceLevelRequest = z.strictObject({
  answeredWithinPercent: z.number().int().min(1).max(100),
  maxUnstaffedMinutes: z.number().int().min(0).max(1440).optional(),
});

export interface ManagerRoutesOptions {
  model: BoardModel;
  levels: ServiceLevels;
  auth: Auth;
  /** publishes through the board's session once the broker took it (writes.ts) */
  publish(message: Message): Promise<void>;
  /** the statistics store, and today's figures kept over it (the board's one, shared with /api/stats) */
  stats?: { storage: Storage; today: TodayFigures };
  now: () => number;
}

export interface ManagerRoutes {
  matches(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, path: string, session: Session): Promise<void>;
}

const log = createLogger('board');

export function createManagerRoutes(options: ManagerRoutesOptions): ManagerRoutes {
  const { model, levels, stats } = options;

  const view = async (session: Session): Promise<ManagerView> => {
    const org = session.orgs === '*' ? '' : (session.orgs[0] ?? '');
    const policy = policyFromOrg(model.orgs.get(org));
    const catalogue = policy.reasons ?? DEFAULT_REASONS;
    const mine = [...model.departments.values()].filter(
      (d) => d.org === org && managesDepartment(session, org, d.id),
    );
    const rows = model.rowsOf(org);
    const report =
      stats &&
      (await statsReport(
        stats.storage,
        {
          org,
          from: dayKey(options.now(), policy.timeZone),
          to: dayKey(options.now(), policy.timeZone),
          period: 'day',
          people: false,
          timeZone: policy.timeZone,
          now: options.now(),
          thresholdSeconds: THRESHOLD_SECONDS,
          heartbeatMs: DEFAULT_HEARTBEAT_MS,
        },
        stats.today,
      ));
    const departments = mine.map((d): DepartmentCoverage => {
      const people = rows
        .filter((r) => r.department === d.id)
        .map((r) => ({
          ext: r.ext,
          name: r.name,
          status: r.status,
          // the manager sees a private reason as any colleague does (docs/access.md)
          reason:
            r.reason === null
              ? null
              : visibleReason(
                  session.role,
                  findReason(r.reason, catalogue) ?? { code: r.reason, privacy: 'private' },
                ),
          until: r.until,
        }));
      const figures = report?.departments.find((x) => x.department === d.id)?.overall;
      const today = report
        ? {
            calls: figures?.calls ?? 0,
            answered: figures?.answered ?? 0,
            answeredWithin: figures?.answeredWithin ?? 0,
            unstaffedMinutes: figures?.unstaffedMinutes ?? 0,
          }
        : null;
      return {
        id: d.id,
        name: d.department.name,
        people,
        available: people.filter((p) => p.status === 'available').length,
        target: levels.get(org, d.id),
        today,
        answeredWithinPercent: today?.calls ? Math.round((100 * today.answeredWithin) / today.calls) : null,
      };
    });
    return { org, timeZone: policy.timeZone, thresholdSeconds: THRESHOLD_SECONDS, departments };
  };

  const setTarget = async (req: IncomingMessage, res: ServerResponse, path: string, session: Session) => {
    const department = decodeURIComponent(TARGET_PATH.exec(path)?.[1] ?? '');
    const org = session.orgs === '*' ? '' : (session.orgs[0] ?? '');
    if (!SEGMENT_PATTERNS.departmentId.test(department) || !managesDepartment(session, org, department))
      throw new HttpError(403, 'not your department', 'department', 'forbidden');
    if (!options.auth.checkCsrf(req, res, session)) return;
    const request = await parseBody(req, ServiceLevelRequest);
    const body = {
      v: 1 as const,
      ...request,
      setBy: session.username,
      at: new Date(options.now()).toISOString(),
    };
    await options.publish({ kind: 'service-level', org, departmentId: department, body });
    levels.set(org, department, body);
    log.info('service level set', {
      org,
      department,
      by: session.username,
      percent: request.answeredWithinPercent,
    });
    json(req, res, { target: body });
  };

  return {
    matches: (path) => path === '/api/manager' || TARGET_PATH.test(path),
    async handle(req, res, path, session) {
      if (path === '/api/manager') {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.setHeader('Allow', 'GET, HEAD');
          throw new HttpError(405, `method ${String(req.method).slice(0, 10)} not allowed here`);
        }
        return json(req, res, await view(session));
      }
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        throw new HttpError(405, `method ${String(req.method).slice(0, 10)} not allowed here`);
      }
      await setTarget(req, res, path, session);
    },
  };
}
