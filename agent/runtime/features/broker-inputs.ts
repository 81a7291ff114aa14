// The desk side of the calendar, phone and organisation inputs: message waiting, voicemail, queues, the
// colleagues' lines and the organisation's policy, as the broker carries them for this desk.

import { type Feature, listening } from '../../../events/feature.js';
import type { Received } from '../../../session/contract-session.js';
import type { BrokerInput } from '../broker-inputs.js';
import type { AgentContext } from '../context.js';

export function brokerInputsFeature(ctx: AgentContext): Feature {
  const take = ({ message }: Received<BrokerInput['kind']>) => {
    if (ctx.heard.take(message, ctx.desk.settings)) ctx.changed();
  };
  return listening(ctx.bus, {
    mwi: take,
    'mwi-message': take,
    voicemail: take,
    queue: take,
    line: take,
    'directory-org': take,
  });
}
