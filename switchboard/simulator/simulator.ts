// Runs the simulated switchboard against a broker: publishes the demo directory (retained), then
// queue and voicemail traffic. Voicemail has a topic of its own (voicemail/{ext}, this side's alone);
// the phone messages on mwi/{ext} are the board's, so nothing here can erase one. As a calendar
// integration it also sets the presence of the people without a desk, continuing from the presence
// retained for each.
import mqtt from 'mqtt';
import { createLogger } from '../../log/logger.js';
import { decode, Ext, filterFor, RejectionCounter } from '../../protocol/index.js';
import { policyFromOrg } from '../../rules/policy.js';
import { publishMessage } from '../publish.js';
import { createCalendar } from './calendar.js';
import { createTraffic, DEMO_ORG, demoDirectory } from './scenario.js';

/** Time and timers, injectable so a test steps the traffic by hand. */
export interface SimulatorClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: SimulatorClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SimulatorOptions {
  brokerUrl: string;
  org: string;
  seed?: number;
  clock?: SimulatorClock;
  /** extensions whose presence a simulated calendar sets (people without a desk; never a desk's) */
  calendarFor?: readonly string[];
}

export interface Simulator {
  /** resolves once the directory is published and traffic is scheduled */
  ready: Promise<void>;
  stop(): Promise<void>;
}

const log = createLogger('simulator');

export function startSimulator(options: SimulatorOptions): Simulator {
  const clock = options.clock ?? realClock;
  const seed = options.seed ?? 1;
  const traffic = createTraffic(options.org, seed);
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
  const client = mqtt.connect(options.brokerUrl, {
    protocolVersion: 4,
    clean: true,
    // unique per instance: a second client with the same id would make the broker drop the first
    clientId: `hanvisa-sim-${options.org}-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    reconnectPeriod: 1000,
  });
  client.on('error', (e) => log.warn('broker connection error', { error: e.message }));
  let timer: unknown;
  let calendarTimer: unknown;
  let stopped = false;

  const publishAll = async (messages: Parameters<typeof publishMessage>[1][]) => {
    for (const m of messages) await publishMessage(client, m);
  };

  const tick = () => {
    if (stopped) return;
    const { messages, delayMs } = traffic.step(clock.now());
    publishAll(messages).catch((e) => log.warn('publish failed', { error: (e as Error).message }));
    timer = clock.setTimeout(tick, delayMs);
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
        await publishAll(demoDirectory(options.org, clock.now()));
        log.info('simulated switchboard publishing', { org: options.org, seed, calendarFor });
        if (!stopped) timer = clock.setTimeout(tick, 1000);
        if (!stopped && calendar) calendarTimer = clock.setTimeout(calendarTick, 1000);
      })().then(resolve, reject);
    });
  });
  // Nobody may be awaiting ready (npm start); a failure is logged, not left unhandled.
  ready.catch((e) => log.error('simulator failed to start', { error: (e as Error).message }));

  return {
    ready,
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      if (calendarTimer !== undefined) clock.clearTimeout(calendarTimer);
      await client.endAsync(true);
    },
  };
}
