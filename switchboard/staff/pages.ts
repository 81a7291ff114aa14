// What the board serves for staff and managers, behind one check in the board's server: the staff page
// and /api/me (routes.ts, staff and managers), the manager's view (manager-routes.ts, managers only).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SELF_ACTING_ROLES } from '../auth/index.js';
import { createManagerRoutes, type ManagerRoutesOptions } from './manager-routes.js';
import { createStaffRoutes, type StaffNotify } from './routes.js';

export interface StaffPages {
  matches(path: string): boolean;
  /** answers the request, the login checks included (401, the login redirect, 403) */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

export function createStaffPages(options: ManagerRoutesOptions & { notify?: StaffNotify }): StaffPages {
  const { auth } = options;
  const staff = createStaffRoutes(options.model, options.notify, options.now);
  const manager = createManagerRoutes(options);
  return {
    matches: (path) => staff.matches(path) || manager.matches(path),
    async handle(req, res, path) {
      if (manager.matches(path)) {
        const session = auth.requireRole(req, res, ['manager']);
        if (session) await manager.handle(req, res, path, session);
        return;
      }
      // its files hold no one's data: without a session, as the board's /assets/
      if (staff.isFile(path)) return staff.handle(req, res, path, undefined);
      const session = auth.requireRole(req, res, SELF_ACTING_ROLES);
      if (session) staff.handle(req, res, path, session);
    },
  };
}
