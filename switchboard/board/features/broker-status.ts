// The broker's status on the operators' pages: every open stream is told when the board loses the
// broker or has it again, so a page says that what it shows is the last known state.
import { type Feature, listening } from '../../../events/feature.js';
import { createLogger } from '../../../log/logger.js';
import type { ContractSession } from '../../../session/contract-session.js';
import type { StreamHub } from '../streams.js';

const log = createLogger('board');

export function brokerStatusFeature(session: ContractSession, streams: StreamHub): Feature {
  return listening(session.bus, {
    status: (status) => {
      if (status === 'offline') log.warn('broker unreachable; the board shows the last known state');
      streams.brokerStatus(status === 'online');
    },
  });
}
