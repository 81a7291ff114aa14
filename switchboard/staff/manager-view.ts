// The answer of GET /api/manager, shared by the server (manager-routes.ts) and the staff page.
import type { ServiceLevel } from '../../protocol/index.js';

export interface DepartmentCoverage {
  id: string;
  name: string;
  /** the department's people now: the reason as a viewer sees it (a private one as 'away') */
  people: {
    ext: string;
    name: string | null;
    status: 'available' | 'away' | null;
    reason: string | null;
    until: string | null;
  }[];
  available: number;
  target: ServiceLevel | null;
  /** today's figures from the recorder's store; null when the board keeps no statistics */
  today: { calls: number; answered: number; answeredWithin: number; unstaffedMinutes: number } | null;
  /** answered within the threshold, percent of the calls; null without calls (or statistics) */
  answeredWithinPercent: number | null;
}

export interface ManagerView {
  org: string;
  timeZone: string;
  thresholdSeconds: number;
  departments: DepartmentCoverage[];
}
