// Runs the simulated switchboard against a broker: publishes the demo directory (retained), and runs
// the phone bridge with the simulated phone system behind the port (queue, call and voicemail
// traffic take the path a real PBX's do). Voicemail has a topic of its own (voicemail/{ext}, the
// bridge's alone); the phone messages (mwi/{ext}/msg/+) are the boards', so nothing here can erase one. As
// a calendar integration it also sets the presence of the people without a desk, continuing from the
// presence retained for each.

import { createLogger } from '../../log/logger.js';
import { createClient, reportConnectionErrors } from '../../mqtt/client.js';
import { decode, Ext, filterFor, RejectionCounter } from '../../protocol/index.js';
import { type Clock, systemClock } from '../../rules/clock.js';
import { policyFromOrg } from '../../rules/policy.js';
import { type Bridge, startBridge } from '../phone/bridge.js';
import { publishMessage } from '../publish.js';
import { createCalendar } from './calendar.js';
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
  const clock = options.clock ?? systemClock;
  const seed = options.seed ?? 1;
  const rejections = new RejectionCounter(log);
  // both throw on an invalid org or extension, before connecting
  const presenceFilter = filterFor('presence', options.org);
  const calendarFor = (options.calendarFor ?? []).map((ext) => {
    if (!Ext.safeParse(ext).success) throw new Error(`calendarFor: not an extension: ${JSON.stringify(ext)}`);
    return ext;
  });
  const calendar =
    calendarFor.length > 0
      ? createCalendar({ org: options.org, exts: calendarFor, seed, policy: policyFromOrg(DEMO_ORG) })
      : undefined;
  const client = createClient({
    url: options.brokerUrl,
    // unique per instance: a second client with the same id would make the broker drop the first
    clientId: `hanvisa-sim-${options.org}-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    reconnectMs: 1000,
  });
  reportConnectionErrors(client, log);
  const phone = createSimulatedPhone({ org: options.org, seed, clock });
  const bridge = startBridge({ brokerUrl: options.brokerUrl, org: options.org, phone, now: clock.now });
  let calendarTimer: unknown;
  let stopped = false;

  const publishAll = async (messages: Parameters<typeof publishMessage>[1][]) => {
    for (const m of messages) await publishMessage(client, m);
  };

  const calendarTick = () => {
    if (stopped || !calendar) return;
    const { messages, delayMs } = calendar.step(clock.now());
    publishAll(messages).catch((e) => log.warn('publish failed', { error: (e as Error).message }));
    calendarTimer = clock.setTimeout(calendarTick, delayMs);
  };

  client.on('message', (topic, payload) => {
    const result = decode(topic, payload);
    if (!result.ok) return rejections.record(result);
    if (result.message.kind === 'presence') calendar?.seen(result.message.ext, result.message.body);
  });

  const ready = new Promise<void>((resolve, reject) => {
    client.once('connect', () => {
      (async () => {
        // every presence, also our own echoes and the operator's: the calendar continues from the newest.
        // The retained ones arrive right after the subscription, well before the calendar's first step.
        if (calendar) await client.subscribeAsync(presenceFilter, { qos: 1 });
        await publishAll(demoDirectory(options.org));
        await bridge.ready;
        log.info('simulated switchboard publishing', { org: options.org, seed, calendarFor });
        if (!stopped && calendar) calendarTimer = clock.setTimeout(calendarTick, 1000);
      })().then(resolve, reject);
    });
  });
  // Nobody may be awaiting ready (npm start); a failure is logged, not left unhandled.
  ready.catch((e) => log.error('simulator failed to start', { error: (e as Error).message }));

  return {
    ready,
    phone,
    bridge,
    async stop() {
      stopped = true;
      await bridge.stop();
      if (calendarTimer !== undefined) clock.clearTimeout(calendarTimer);
      await client.endAsync(true);
    },
  };
}
