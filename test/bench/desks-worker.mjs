// One worker process of the 1,000-desk benchmark: `count` desk agents as shipped (dist/), each on a
// virtual panel with its own MQTT connection and journal, plus (on request) as many bare mqtt.js
// subscribers for the fan-out baseline. Driven over IPC by desks-1000.bench.test.ts:
//   start {url, org, first, count, dir, firstExt}   → ready {rssBeforeMB, rssAgentsMB, desks}
//   bare {url, topic, count}                              → bare-ready {rssMB}
//   press {ext, key}                                 → pressed {id, at}
//   arm {id}                                         → armed {id}; forgets recorded LED/fan-out times
//   collect {id}                                     → collected {id, queueLed: [at…], fanout: [at…]}
//   wait {id, n}                                     → waited {id, cpuUs}, once n LED changes and fan-out
//                                                      arrivals (together) were recorded since the last arm
//   cpu {id}                                         → cpu {id, cpuUs} (this process's user + system CPU)
//   profile {id, path}                               → profiling {id}; V8's CPU profiler runs from now
//   profiled {id}                                    → profiled {id}; the profile written to `path`
// Times are wall-clock milliseconds with sub-ms precision (performance.timeOrigin + performance.now()),
// comparable with the parent's and the page's on the same machine. Plain JS: it runs dist/.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startAgent } from '../../dist/agent/runtime/agent.js';
import { parseConfig } from '../../dist/agent/runtime/config.js';
import { VirtualPanel } from '../../dist/hardware/virtual/panel.js';
import { DEFAULT_LAYOUT } from '../../dist/protocol/index.js';

const QUEUE_ROLE = DEFAULT_LAYOUT.leds.find((l) => l.role.type === 'queue');
const QUEUE_LED = QUEUE_ROLE.led;
// connections opened at once per worker: all 250 at once would measure a reconnect storm, which is
// not this benchmark's question (docs/scale.md sizes that on paper)
const START_BATCH = 25;
const now = () => performance.timeOrigin + performance.now();
const rssMB = () => process.memoryUsage().rss / 2 ** 20;
const cpuUs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
/** the inspector session of a running profile, and where it goes */
let profiling;

/** ext → { agent, panel } */
const desks = new Map();
const bare = [];
let queueLed = [];
let fanout = [];
/** the pending `wait`: how many arrivals it waits for, and its answer */
let waiting;
const arrived = () => {
  if (waiting && queueLed.length + fanout.length >= waiting.n) {
    waiting.answer();
    waiting = undefined;
  }
};

async function start({ url, org, first, count, dir, firstExt }) {
  const rssBeforeMB = rssMB();
  for (let i = 0; i < count; i += START_BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + START_BATCH); j++) {
      const ext = String(firstExt + first + j);
      const panel = new VirtualPanel();
      let lit;
      panel.on('frame', (frame) => {
        const pattern = frame[QUEUE_LED]?.pattern;
        if (lit !== undefined && pattern !== lit) {
          queueLed.push(now());
          arrived();
        }
        lit = pattern;
      });
      batch.push(
        startAgent(
          parseConfig({
            org,
            ext,
            deviceId: `desk-${ext}`,
            broker: { url },
            queues: [QUEUE_ROLE.role.queue],
            journalPath: join(dir, `journal-${ext}.json`),
          }),
          { panel, settleMs: 200 },
        ).then((agent) => desks.set(ext, { agent, panel })),
      );
    }
    await Promise.all(batch);
  }
  return { rssBeforeMB, rssAgentsMB: rssMB(), desks: desks.size };
}

async function startBare({ url, topic, count }) {
  for (let i = 0; i < count; i += START_BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + START_BATCH); j++)
      batch.push(
        mqtt.connectAsync(url, { protocolVersion: 4, clean: true }).then(async (client) => {
          client.on('message', () => {
            fanout.push(now());
            arrived();
          });
          await client.subscribeAsync(topic, { qos: 1 });
          bare.push(client);
        }),
      );
    await Promise.all(batch);
  }
  return { rssMB: rssMB() };
}

process.on('message', async (m) => {
  try {
    if (m.type === 'start') {
      process.send({ type: 'ready', ...(await start(m)) });
    } else if (m.type === 'bare') process.send({ type: 'bare-ready', ...(await startBare(m)) });
    else if (m.type === 'press') {
      const desk = desks.get(m.ext);
      const at = now();
      desk.panel.tap(m.key);
      process.send({ type: 'pressed', id: m.id, at });
    } else if (m.type === 'arm') {
      queueLed = [];
      fanout = [];
      process.send({ type: 'armed', id: m.id });
    } else if (m.type === 'collect') process.send({ type: 'collected', id: m.id, queueLed, fanout });
    else if (m.type === 'wait') {
      waiting = { n: m.n, answer: () => process.send({ type: 'waited', id: m.id, cpuUs: cpuUs() }) };
      arrived();
    } else if (m.type === 'cpu') process.send({ type: 'cpu', id: m.id, cpuUs: cpuUs() });
    else if (m.type === 'profile') {
      const session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
      profiling = { session, path: m.path };
      process.send({ type: 'profiling', id: m.id });
    } else if (m.type === 'profiled') {
      const { session, path } = profiling;
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(path, JSON.stringify(profile));
      session.disconnect();
      profiling = undefined;
      process.send({ type: 'profiled', id: m.id });
    } else if (m.type === 'stop') {
      await Promise.all([
        ...[...desks.values()].map((d) => d.agent.stop()),
        ...bare.map((c) => c.endAsync(true)),
      ]);
      process.exit(0);
    }
  } catch (e) {
    process.send({ type: 'error', id: m.id, error: String(e?.stack ?? e) });
  }
});
process.send({ type: 'loaded' });
