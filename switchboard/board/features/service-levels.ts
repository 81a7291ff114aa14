// The service levels managers set (board/service-level/{departmentId}, retained): kept by
// organisation and department for the manager's view (switchboard/staff/manager-routes.ts).
import { type Feature, listening } from '../../../events/feature.js';
import type { ServiceLevel } from '../../../protocol/index.js';
import type { ContractSession } from '../../../session/contract-session.js';

export interface ServiceLevels extends Feature {
  get(org: string, department: string): ServiceLevel | null;
  /** a level this board published and the broker took: shown before it comes back on the subscription */
  set(org: string, department: string, level: ServiceLevel | null): void;
}

export function serviceLevelsFeature(session: ContractSession): ServiceLevels {
  const levels = new Map<string, ServiceLevel>();
  const key = (org: string, department: string) => `${org}/${department}`;
  const set = (org: string, department: string, level: ServiceLevel | null) => {
    // an empty retained payload clears it
    if (level) levels.set(key(org, department), level);
    else levels.delete(key(org, department));
  };
  return {
    ...listening(session.bus, {
      'service-level': ({ message }) => set(message.org, message.departmentId, message.body),
    }),
    get: (org, department) => levels.get(key(org, department)) ?? null,
    set,
  };
}
