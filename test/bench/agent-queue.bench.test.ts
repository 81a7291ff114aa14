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
// The workers take turns round by round (the others idle), so each sees the same load and each round's
// wall time is a fan-out without the other half competing. AGENT_QUEUE_PROFILE=<dir> writes a V8 CPU
// profile of each worker's measured rounds (agents.cpuprofile, bare.cpuprofile; V8 samples wall time,
// so under load read it for shares, not totals). AGENT_QUEUE_AGAINST=<another build's
// test/bench/desks-worker.mjs> adds that build's agents as a third worker (figures against…): before
// and after a change in one run.
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
/** another build's test/bench/desks-worker.mjs (a checkout of the commit before, built): its agents too */
const AGAINST = process.env.AGENT_QUEUE_AGAINST;

interface Subject {
  name: string;
  worker: DeskWorker;
  publish(round: number): Promise<unknown>;
}
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
    const publisher = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    /** a worker of desks on their own org (so a queue change reaches only them), and its publish */
    const deskWorker = async (name: string, org: string, script?: string): Promise<Subject> => {
      const worker = await DeskWorker.spawn(script);
      workers.push(worker);
      await worker.ask(
        { type: 'start', url: mosquitto.url, org, first: 0, count: DESKS, dir, firstExt: 20_000 },
        'ready',
      );
      return { name, worker, publish: (r) => queueChange(org, r) };
    };
    const queueChange = (org: string, r: number) => {
      const since = new Date().toISOString();
      const waiting = r % 2 === 0 ? 1 : 0;
      const { topic, payload } = encode({
        kind: 'queue',
        org,
        queueId: DEFAULT_QUEUE,
        // no alarm within the run: the lamp changes once per publish
        body: { v: 1, waiting, oldestSince: waiting ? since : null, at: since, alarmSeconds: 3600 },
      });
      return publisher.publishAsync(topic, payload, { qos: 1, retain: true });
    };
    const agents = await deskWorker('agents', ORG);
    const against = AGAINST ? await deskWorker('against', `${ORG}-against`, AGAINST) : undefined;
    const fanoutTopic = `hanvisa/v1/${ORG}/bench/fanout`;
    const bareWorker = await DeskWorker.spawn();
    workers.push(bareWorker);
    await bareWorker.ask(
      { type: 'bare', url: mosquitto.url, topic: fanoutTopic, count: DESKS },
      'bare-ready',
    );
    const bare: Subject = {
      name: 'bare',
      worker: bareWorker,
      publish: (r) => publisher.publishAsync(fanoutTopic, `{"v":1,"r":${r}}`, { qos: 1 }),
    };
    const subjects = [agents, ...(against ? [against] : []), bare];

    /** one round on one worker: its CPU (µs) and the publish → last arrival wall time (ms) */
    const measureRound = async ({ worker, publish }: Subject, r: number) => {
      await worker.ask({ type: 'arm' });
      const { cpuUs: before } = await worker.ask<{ cpuUs: number }>({ type: 'cpu' });
      const at = wallNow();
      const done = worker.ask({ type: 'wait', n: DESKS });
      await publish(r);
      await done;
      const wallMs = wallNow() - at;
      const { cpuUs: after } = await worker.ask<{ cpuUs: number }>({ type: 'cpu' });
      return { cpuUs: after - before, wallMs };
    };
    // the subjects take turns round by round, so each sees the same load
    const cpu = new Map(subjects.map((s) => [s.name, [] as number[]]));
    const wall = new Map(subjects.map((s) => [s.name, [] as number[]]));
    for (let r = 0; r < WARMUP; r++) for (const s of subjects) await measureRound(s, r);
    if (PROFILE_DIR)
      for (const s of subjects)
        await s.worker.ask({ type: 'profile', path: join(PROFILE_DIR, `${s.name}.cpuprofile`) });
    for (let r = WARMUP; r < WARMUP + ROUNDS; r++)
      for (const s of subjects) {
        const { cpuUs, wallMs } = await measureRound(s, r);
        cpu.get(s.name)?.push(cpuUs);
        wall.get(s.name)?.push(wallMs);
      }
    if (PROFILE_DIR) for (const s of subjects) await s.worker.ask({ type: 'profiled' });
    await publisher.endAsync();

    const figures = (name: string) => {
      const c = cpu.get(name) as number[];
      const w = wall.get(name) as number[];
      return {
        cpuUsPerMessageMedian: round(percentile(c, 50) / DESKS, 1),
        cpuMsPerRoundMedian: round(percentile(c, 50) / 1000, 2),
        cpuMsPerRoundP90: round(percentile(c, 90) / 1000, 2),
        wallMsPerRoundMedian: round(percentile(w, 50), 2),
        wallMsPerRoundP90: round(percentile(w, 90), 2),
      };
    };
    const measured = {
      desks: DESKS,
      rounds: ROUNDS,
      ...figures('agents'),
      ...(against
        ? Object.fromEntries(
            Object.entries(figures('against')).map(([k, v]) => [
              `against${k[0]?.toUpperCase()}${k.slice(1)}`,
              v,
            ]),
          )
        : {}),
      loadAverage1mAtStart: loadAtStart[0] as number,
      loadAverage1mAtEnd: loadavg()[0] as number,
    };
    const baseline = figures('bare');
    const agentCpu = cpu.get('agents') as number[];
    await writeBenchResult('agent-queue', measured, baseline, {
      cpuUsPerMessageMedian: 'the queue → LED goal (≤ 2× the bare fan-out) needs this ratio well under 2',
    });
    expect(agentCpu).toHaveLength(ROUNDS);
  });
});
