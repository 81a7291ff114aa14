// The desk agent's CPU per queue message (issue 26, the queue → LED fan-out), load-robust: what one
// worker of the 1,000-desk benchmark (desks-1000) spends when the broker hands each of its desks one
// queue change, against the same worker shape holding bare mqtt.js subscribers handed one message
// each. The fan-out's wall time is this CPU multiplied by the desks sharing a loop, so the ratio of
// CPU (process.cpuUsage, which a busy machine does not inflate the way it does wall time) says what
// each agent does beyond what any subscriber must.
// - agents: DESKS shipped agents (dist/) on virtual panels, as desks-1000 runs them; each round is one
//   retained queue/main publish whose lamp changes on every desk; CPU from before the publish until
//   every desk's panel got its new frame.
// - bare: DESKS bare mqtt.js QoS 1 subscribers in a second worker; each round one publish to them all.
// The two workers are measured in turn (the other one idle), so each round's wall time is also a
// fan-out without the other half competing. AGENT_QUEUE_PROFILE=<dir> writes a V8 CPU profile of each
// worker's measured rounds (agents.cpuprofile, bare.cpuprofile) to read where the time goes.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE, encode } from '../../protocol/index.js';
import { buildProduct } from '../support/build-product.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { round } from './board-fixture.js';
import { DeskWorker } from './desks-workers.js';
import { percentile, writeBenchResult } from './report.js';

const ORG = 'kokommun';
const DESKS = Number(process.env.AGENT_QUEUE_DESKS ?? 250);
const ROUNDS = 40;
/** rounds before the measured ones: the JIT and the agents' first frames */
const WARMUP = 6;
const PROFILE_DIR = process.env.AGENT_QUEUE_PROFILE;
const wallNow = () => performance.timeOrigin + performance.now();

describe('desk agent CPU per queue message', () => {
  let mosquitto: Mosquitto;
  let dir: string;
  const workers: DeskWorker[] = [];

  beforeAll(async () => {
    await buildProduct();
    mosquitto = await startMosquitto();
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-agent-queue-'));
  }, 600_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await mosquitto?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`${DESKS} agents handed a queue change against ${DESKS} bare subscribers handed a message`, async () => {
    const loadAtStart = loadavg();
    const agents = await DeskWorker.spawn();
    const bare = await DeskWorker.spawn();
    workers.push(agents, bare);
    await agents.ask(
      { type: 'start', url: mosquitto.url, org: ORG, first: 0, count: DESKS, dir, firstExt: 20_000 },
      'ready',
    );
    const fanoutTopic = `hanvisa/v1/${ORG}/bench/fanout`;
    await bare.ask({ type: 'bare', url: mosquitto.url, topic: fanoutTopic, count: DESKS }, 'bare-ready');
    const publisher = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });

    /** one round on one worker: its CPU (µs) and the publish → last arrival wall time (ms) */
    const round_ = async (worker: DeskWorker, publish: () => Promise<unknown>) => {
      await worker.ask({ type: 'arm' });
      const { cpuUs: before } = await worker.ask<{ cpuUs: number }>({ type: 'cpu' });
      const at = wallNow();
      const done = worker.ask({ type: 'wait', n: DESKS });
      await publish();
      await done;
      const wallMs = wallNow() - at;
      const { cpuUs: after } = await worker.ask<{ cpuUs: number }>({ type: 'cpu' });
      return { cpuUs: after - before, wallMs };
    };
    const queueChange = (r: number) => {
      const since = new Date().toISOString();
      const waiting = r % 2 === 0 ? 1 : 0;
      const { topic, payload } = encode({
        kind: 'queue',
        org: ORG,
        queueId: DEFAULT_QUEUE,
        // no alarm within the run: the lamp changes once per publish
        body: { v: 1, waiting, oldestSince: waiting ? since : null, at: since, alarmSeconds: 3600 },
      });
      return publisher.publishAsync(topic, payload, { qos: 1, retain: true });
    };
    const fanout = (r: number) => publisher.publishAsync(fanoutTopic, `{"v":1,"r":${r}}`, { qos: 1 });

    const agentCpu: number[] = [];
    const agentWall: number[] = [];
    const bareCpu: number[] = [];
    const bareWall: number[] = [];
    for (let r = 0; r < WARMUP; r++) {
      await round_(agents, () => queueChange(r));
      await round_(bare, () => fanout(r));
    }
    if (PROFILE_DIR) await agents.ask({ type: 'profile', path: join(PROFILE_DIR, 'agents.cpuprofile') });
    for (let r = WARMUP; r < WARMUP + ROUNDS; r++) {
      const a = await round_(agents, () => queueChange(r));
      agentCpu.push(a.cpuUs);
      agentWall.push(a.wallMs);
    }
    if (PROFILE_DIR) {
      await agents.ask({ type: 'profiled' });
      await bare.ask({ type: 'profile', path: join(PROFILE_DIR, 'bare.cpuprofile') });
    }
    for (let r = WARMUP; r < WARMUP + ROUNDS; r++) {
      const b = await round_(bare, () => fanout(r));
      bareCpu.push(b.cpuUs);
      bareWall.push(b.wallMs);
    }
    if (PROFILE_DIR) await bare.ask({ type: 'profiled' });
    await publisher.endAsync();

    const perDesk = (cpu: number[]) => percentile(cpu, 50) / DESKS;
    const measured = {
      desks: DESKS,
      rounds: ROUNDS,
      cpuUsPerMessageMedian: round(perDesk(agentCpu), 1),
      cpuMsPerRoundMedian: round(percentile(agentCpu, 50) / 1000, 2),
      cpuMsPerRoundP90: round(percentile(agentCpu, 90) / 1000, 2),
      wallMsPerRoundMedian: round(percentile(agentWall, 50), 2),
      wallMsPerRoundP90: round(percentile(agentWall, 90), 2),
      loadAverage1mAtStart: loadAtStart[0] as number,
      loadAverage1mAtEnd: loadavg()[0] as number,
    };
    const baseline = {
      cpuUsPerMessageMedian: round(perDesk(bareCpu), 1),
      cpuMsPerRoundMedian: round(percentile(bareCpu, 50) / 1000, 2),
      cpuMsPerRoundP90: round(percentile(bareCpu, 90) / 1000, 2),
      wallMsPerRoundMedian: round(percentile(bareWall, 50), 2),
      wallMsPerRoundP90: round(percentile(bareWall, 90), 2),
    };
    await writeBenchResult('agent-queue', measured, baseline, {
      cpuUsPerMessageMedian: 'the queue → LED goal (≤ 2× the bare fan-out) needs this ratio well under 2',
    });
    expect(agentCpu).toHaveLength(ROUNDS);
  });
});
