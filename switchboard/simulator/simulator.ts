// Runs the simulated switchboard against a broker: publishes the demo directory (retained), and runs
// the phone bridge with the simulated phone system behind the port (queue, call and voicemail
// traffic take the path a real PBX's do). Voicemail has a topic of its own (voicemail/{ext}, the
// bridge's alone); the phone messages (mwi/{ext}/msg/+) are the boards', so nothing here can erase one. As
// a calendar integration (features/calendar.ts) it also sets the presence of the people without a
// desk, continuing from the presence retained for each.

import { createLogger } from '../../log/logger.js';
import { uniqueClientId } from '../../mqtt/client.js';
import { Ext } from '../../protocol/index.js';
import { type Clock, systemClock } from '../../rules/clock.js';
import { policyFromOrg } from '../../rules/policy.js';
import { ContractSession } from '../../session/contract-session.js';
import { kindFilters } from '../../session/filters.js';
import { type Bridge, startBridge } from '../phone/bridge.js';
import { createCalendar } from './calendar.js';
import { calendarFeature } from './features/calendar.js';
import { DEMO_ORG, demoDirectory } from './scenario.js';
import { createSimulatedPhone, type SimulatedPhone } from './simulated-phone.js';

/** Time and timers, injectable so a test steps the traffic by hand. */
export interface SimulatorOptions {
  brokerUrl: string;
  org: string;
  seed?: number;
  clock?: Clock;
  /** extensions whose presence a simulated calendar sets (people without a desk; never a desk's) */
  calendarFor?: readonly string[];
  /** publish the demo directory (default); not when the broker already holds one, so that a restarted
   * demo keeps the people imported and the settings set since */
  publishDirectory?: boolean;
}

export interface Simulator {
  /** resolves once the directory is published and traffic is scheduled */
  ready: Promise<void>;
  /** the simulated phone system behind the bridge (the referrals it got; outages) */
  phone: SimulatedPhone;
  bridge: Bridge;
  stop(): Promise<void>;
}

const log = createLogger('simulator');

export function startSimulator(options: SimulatorOptions): Simulator {
  const { org } = options;
  const clock = options.clock ?? systemClock;
  const seed = options.seed ?? 1;
  // both throw on an invalid org or extension, before connecting
  const presenceFilters = kindFilters(['presence'], [org]);
  const calendarFor = (options.calendarFor ?? []).map((ext) => {
    if (!Ext.safeParse(ext).success) throw new Error(`calendarFor: not an extension: ${JSON.stringify(ext)}`);
    return ext;
  });
  const phone = createSimulatedPhone({ org, seed, clock });
  const bridge = startBridge({ brokerUrl: options.brokerUrl, org, phone, now: clock.now });
  const session = new ContractSession({
    url: options.brokerUrl,
    clientId: uniqueClientId(`sim-${org}`),
    // every presence, also our own echoes and the operator's: the calendar continues from the newest
    filters: calendarFor.length > 0 ? presenceFilters : [],
    log,
  });
  const calendar =
    calendarFor.length > 0
      ? calendarFeature(
          session,
          createCalendar({ org, exts: calendarFor, seed, policy: policyFromOrg(DEMO_ORG) }),
          clock,
          log,
        )
      : undefined;
  void session.start(calendar ? [calendar] : []);

  // A demo's starting state, published once: a reconnect does not put back what IT changed since. The
  // calendar's first step comes after the traffic's (the bridge has opened the simulated phone by then)
  // and well after the retained presences that arrived with the subscription.
  const ready = session.ready
    .then(async () => {
      if (options.publishDirectory ?? true) for (const m of demoDirectory(org)) await session.publish(m);
      await bridge.ready;
    })
    .then(() => {
      log.info('simulated switchboard publishing', { org, seed, calendarFor });
      calendar?.begin();
    });
  // Nobody may be awaiting ready (npm start); a failure is logged, not left unhandled.
  ready.catch((e) => log.error('simulator failed to start', { error: (e as Error).message }));

  return {
    ready,
    phone,
    bridge,
    async stop() {
      await bridge.stop();
      await session.close();
    },
  };
}
