// One side of the board cold start benchmark, in a process of its own, as a board starts in production:
//   node coldstart-probe.mjs bare|board <brokerUrl> <org> <expectedMessages>
// `bare`: an mqtt.js subscriber with the board session's options (MQTT 3.1.1, clean session, QoS 1)
// counting messages; `board`: the shipped board session with its model feature (dist/) applying them.
// Timed from just before connecting to the last message received/applied, with the process's CPU time
// (all its threads) over the same window; prints one JSON line. Plain JS: it runs dist/.
import mqtt from 'mqtt';
import { modelFeature } from '../../dist/switchboard/board/features/model.js';
import { BoardModel } from '../../dist/switchboard/board/model.js';
import { boardSession } from '../../dist/switchboard/board/session.js';

const [mode, url, org, expectedArg] = process.argv.slice(2);
const expected = Number(expectedArg);
if (!['bare', 'board'].includes(mode) || !url || !org || !(expected > 0)) {
  console.error('usage: coldstart-probe.mjs bare|board <brokerUrl> <org> <expectedMessages>');
  process.exit(2);
}

async function bare() {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const client = mqtt.connect(url, { protocolVersion: 4, clean: true, resubscribe: false });
  let n = 0;
  const ms = await new Promise((resolve) => {
    client.on('message', () => {
      if (++n === expected) resolve(performance.now() - t0);
    });
    client.on('connect', () => client.subscribe(`hanvisa/v1/${org}/#`, { qos: 1 }));
  });
  const cpu = process.cpuUsage(cpu0);
  await client.endAsync(true);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, received: n };
}

async function board() {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const model = new BoardModel();
  const session = boardSession({ brokerUrl: url, orgs: [org] });
  await session.start([modelFeature(session, model)]);
  // registered after the model feature, so it runs once the model has applied the message
  const ms = await new Promise((resolve) => {
    session.bus.on('message', () => {
      if (model.stats.applied === expected) resolve(performance.now() - t0);
    });
  });
  const cpu = process.cpuUsage(cpu0);
  const size = model.size;
  await session.close();
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, received: model.stats.applied, people: size };
}

const result = mode === 'bare' ? await bare() : await board();
const memory = process.memoryUsage();
console.log(
  JSON.stringify({ mode, ...result, heapMB: memory.heapUsed / 2 ** 20, rssMB: memory.rss / 2 ** 20 }),
);
