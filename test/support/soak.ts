// The broker soak (issue 12): desk agents on virtual panels, a board with its durable store and a phone
// bridge, on one real Mosquitto that is stopped or killed again and again, seeded (issue 25: or on a
// 3-node NATS cluster that loses one node at a time, soakCluster). Keys are pressed, operators write
// through the board's HTTP API and the phone system's queue changes while the broker is down. After
// each restart it asserts what the issues ask: nothing the board accepted is lost, the board equals
// every desk, every desk's queue lamp shows the last queue, and on Mosquitto every desk showed the
// offline lamp during the outage; on the cluster everything converges while the node is still down
// (the clients moved to the surviving nodes). Shared by the short runs in `npm test` and `npm run soak`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { parseConfig } from '../../agent/runtime/config.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';
import { DEFAULT_LAYOUT } from '../../protocol/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type Bridge, startBridge } from '../../switchboard/phone/bridge.js';
import type { PhoneListener, PhoneSystem } from '../../switchboard/phone/port.js';
import { rng } from '../../switchboard/simulator/scenario.js';
import { startMosquitto } from './mosquitto.js';
import { startNatsCluster } from './nats.js';
import { openOperator } from './open-operator.js';

const ORG = 'soakkommun';
const FIRST_EXT = 3000;

/**
 * Mosquitto's: stop: SIGTERM, Mosquitto saves its store and reads it back; kill: SIGKILL, it comes back
 * with the store of the last clean stop (stale retained state); kill-empty: SIGKILL and the store
 * deleted, a broker that lost everything (the board and the desks must bring it all back).
 * The cluster's: kill-node: one node (seeded) SIGKILLed; stop-node: one node stopped (SIGTERM, a clean
 * shutdown that flushes its JetStream state).
 */
export const OUTAGES = ['stop', 'kill', 'kill-empty'] as const;
export const NODE_OUTAGES = ['kill-node', 'stop-node'] as const;
export type Outage = (typeof OUTAGES)[number] | (typeof NODE_OUTAGES)[number];

/** The broker a soak runs on: one Mosquitto, or a cluster that loses one node at a time. */
interface SoakBroker {
  /** the broker setting of client `i` (desk i; the board and the bridge after the desks) */
  url(i: number): string;
  outages: readonly Outage[];
  /** true: the whole broker is down (every desk must light its offline lamp, nothing converges) */
  whole: boolean;
  /** takes the broker (or one node, drawn with `random`) down */
  down(outage: Outage, random: () => number): Promise<void>;
  up(): Promise<void>;
  dispose(): Promise<void>;
}

async function mosquittoBroker(): Promise<SoakBroker> {
  const mosquitto = await startMosquitto({ persistence: true });
  return {
    url: () => mosquitto.url,
    outages: OUTAGES,
    whole: true,
    async down(outage) {
      if (outage === 'stop') await mosquitto.stop();
      else await mosquitto.kill();
      if (outage === 'kill-empty') await rm(mosquitto.storeFile, { force: true });
    },
    up: () => mosquitto.start(),
    dispose: () => mosquitto.dispose(),
  };
}

async function clusterBroker(): Promise<SoakBroker> {
  const nats = await startNatsCluster();
  let downed: number | undefined;
  return {
    // client i's list starts at node i: the clients spread over the three nodes
    url: (i) => nats.urls(i % nats.nodes.length),
    outages: NODE_OUTAGES,
    whole: false,
    async down(outage, random) {
      downed = Math.floor(random() * nats.nodes.length);
      const node = nats.nodes[downed];
      await (outage === 'stop-node' ? node?.stop() : node?.kill());
    },
    async up() {
      if (downed !== undefined) await nats.nodes[downed]?.start();
    },
    dispose: () => nats.dispose(),
  };
}

/** A phone system the soak drives by hand: it changes a queue, the real bridge publishes it. */
function handPhone(): PhoneSystem & { listener?: PhoneListener } {
  const phone: PhoneSystem & { listener?: PhoneListener } = {
    system: 'webhook',
    async open(listener) {
      phone.listener = listener;
    },
    referralChanged: () => {},
    async close() {},
  };
  return phone;
}

// the keys that set a state, and the reason each leaves (open: none)
const STATE_KEYS = DEFAULT_LAYOUT.keys.flatMap((k): { key: number; reason: string | null }[] =>
  k.action.type === 'open'
    ? [{ key: k.key, reason: null }]
    : k.action.type === 'reason'
      ? [{ key: k.key, reason: k.action.reason }]
      : [],
);
const ledOf = (type: 'message' | 'link' | 'queue') =>
  DEFAULT_LAYOUT.leds.find((l) => l.role.type === type)?.led ?? -1;
const MESSAGE_LED = ledOf('message');
const LINK_LED = ledOf('link');
const QUEUE_LED = ledOf('queue');
const QUEUE = 'main';
const OPERATOR_REASONS = ['sick', 'course', 'trip'] as const;

export interface SoakOptions {
  /** mosquitto (default): one broker down at a time; cluster: one node of three down at a time */
  broker?: 'mosquitto' | 'cluster';
  cycles: number;
  seed: number;
  desks: number;
  /** how long to wait for the system to settle after each restart */
  convergeMs?: number;
  log?: (line: string) => void;
}

export interface CycleReport {
  outage: Outage;
  presses: number;
  /** operator writes the board accepted (2xx, or 504: saved, the broker had not acknowledged in time) */
  accepted: number;
  /** operator writes refused while the broker was down (503: nothing changed) */
  refused: number;
  /** restart → everything asserted held */
  convergeMs: number;
  /** cluster: outage → everything asserted held with the node still down (clients moved over) */
  failoverMs?: number;
}

export interface SoakReport {
  seed: number;
  desks: number;
  cycles: CycleReport[];
  /** accepted messages missing at the end (must be 0) */
  lostMessages: number;
  messagesAccepted: number;
  messagesRefused: number;
  /** refused messages that showed up anyway (must be 0) */
  ghostMessages: number;
}

interface Desk {
  ext: string;
  agent: Agent;
  panel: VirtualPanel;
  /** the link lamp was lit since the last reset */
  sawOffline: boolean;
  /** the reason the desk's last write should leave (a press or an operator's referral) */
  expectedReason: string | null | undefined;
}

interface Operator {
  /** the status of a write; 0 when the request itself failed */
  post(path: string, body: unknown): Promise<number>;
}

async function operatorOn(board: Board): Promise<Operator> {
  const operator = await openOperator(board.url);
  return {
    async post(path, body) {
      const res = await operator.post(path, body);
      await res.arrayBuffer();
      return res.status;
    },
  };
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const random = rng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const log = options.log ?? (() => {});
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-soak-'));
  const broker = await (options.broker === 'cluster' ? clusterBroker() : mosquittoBroker());
  const desks: Desk[] = [];
  let board: Board | undefined;
  let bridge: Bridge | undefined;
  try {
    for (let i = 0; i < options.desks; i++) {
      const ext = String(FIRST_EXT + i);
      const panel = new VirtualPanel();
      const agent = await startAgent(
        parseConfig({
          org: ORG,
          ext,
          deviceId: `soak-${ext}`,
          // the default keep-alive: a stopped or killed local broker closes the socket, noticed at once
          broker: { url: broker.url(i) },
          queues: [QUEUE],
          journalPath: join(dir, `journal-${ext}.json`),
        }),
        { panel, settleMs: 200 },
      );
      const desk: Desk = { ext, agent, panel, sawOffline: false, expectedReason: undefined };
      panel.on('frame', (frame) => {
        if (frame[LINK_LED]?.pattern !== 'off') desk.sawOffline = true;
      });
      desks.push(desk);
    }
    board = await startBoard({
      brokerUrl: broker.url(options.desks),
      port: 0,
      orgs: [ORG],
      storeFile: join(dir, 'board-writes.json'),
      // a write the broker has not acknowledged by then is answered 504 (kept, sent on reconnect)
      publishTimeoutMs: 2000,
    });
    const phone = handPhone();
    bridge = startBridge({ brokerUrl: broker.url(options.desks + 1), org: ORG, phone });
    await bridge.ready;
    phone.listener?.link(true);
    let waiting = 0;
    /** the phone system's queue changes: the count walks 0…3 so the lamp goes on and off */
    const phoneEvent = () => {
      waiting = (waiting + 1) % 4;
      phone.listener?.queue({ queueId: QUEUE, waiting, oldestSince: waiting ? Date.now() : null });
    };
    phoneEvent();
    const operator = await operatorOn(board);
    const accepted = new Map<string, Set<string>>(); // ext → texts of messages the board took
    const refused = new Set<string>();
    let written = 0;

    const press = (desk: Desk) => {
      const { key, reason } = pick(STATE_KEYS);
      desk.panel.tap(key);
      desk.expectedReason = reason;
    };
    /** an operator's message or referral for the desk; returns whether the board accepted it */
    const operatorWrite = async (desk: Desk): Promise<boolean> => {
      if (random() < 0.7) {
        const text = `soak ${options.seed}/${written++}`;
        const status = await operator.post(`/api/messages/${ORG}/${desk.ext}`, { from: 'Soak', text });
        const ok = status === 201 || status === 504;
        if (ok) accepted.set(desk.ext, (accepted.get(desk.ext) ?? new Set()).add(text));
        else if (status === 503) refused.add(text);
        else throw new Error(`message for ${desk.ext}: unexpected HTTP ${status}`);
        return ok;
      }
      const reason = pick(OPERATOR_REASONS);
      const status = await operator.post(`/api/presence/${ORG}/${desk.ext}`, { reason });
      const ok = status === 200 || status === 504;
      if (ok) desk.expectedReason = reason;
      else if (status !== 503) throw new Error(`referral for ${desk.ext}: unexpected HTTP ${status}`);
      return ok;
    };
    /** some desks press, others get an operator's write: never both in one cycle, so the last writer is known */
    const traffic = async () => {
      let presses = 0;
      const writes: Promise<boolean>[] = [];
      for (const desk of desks) {
        const roll = random();
        if (roll < 0.4) {
          press(desk);
          presses++;
        } else if (roll < 0.7) writes.push(operatorWrite(desk));
      }
      phoneEvent();
      // side by side, as several operators would: a write the broker cannot acknowledge waits for its 504
      const outcomes = await Promise.all(writes);
      return { presses, ok: outcomes.filter(Boolean).length, no: outcomes.filter((o) => !o).length };
    };

    const converged = (b: Board) => {
      for (const desk of desks) {
        const mine = desk.agent.presence;
        const row = b.model.row(ORG, desk.ext);
        if (!desk.agent.synced || desk.agent.pending || !mine || !row)
          throw new Error(`desk ${desk.ext} not synced (link ${desk.agent.link})`);
        // back online on the lamp too, so the next outage's offline lamp is a change the panel shows
        if (desk.panel.frame[LINK_LED]?.pattern !== 'off')
          throw new Error(`desk ${desk.ext}: link lamp still lit`);
        if (row.status !== mine.status || row.reason !== mine.reason || row.since !== mine.since)
          throw new Error(
            `board shows ${desk.ext} ${row.status}/${row.reason}, desk has ${mine.status}/${mine.reason}`,
          );
        if (desk.expectedReason !== undefined && mine.reason !== desk.expectedReason)
          throw new Error(`desk ${desk.ext} has ${mine.reason}, its last write was ${desk.expectedReason}`);
        const texts = new Set((row.phoneMessages ?? []).map((m) => m.text));
        const want = accepted.get(desk.ext) ?? new Set<string>();
        for (const text of want)
          if (!texts.has(text)) throw new Error(`message "${text}" lost for ${desk.ext}`);
        const lamp = desk.panel.frame[MESSAGE_LED]?.pattern ?? 'off';
        if (want.size > 0 !== (lamp !== 'off'))
          throw new Error(`desk ${desk.ext}: ${want.size} messages, message lamp ${lamp}`);
        const queueLamp = desk.panel.frame[QUEUE_LED]?.pattern ?? 'off';
        if (waiting > 0 !== (queueLamp !== 'off'))
          throw new Error(`desk ${desk.ext}: ${waiting} waiting, queue lamp ${queueLamp}`);
      }
      const queue = b.model.queues.get(`${ORG}/${QUEUE}`)?.queue;
      if (queue?.waiting !== waiting)
        throw new Error(`board shows ${queue?.waiting} waiting, the queue has ${waiting}`);
    };
    const settle = (b: Board) =>
      vi.waitFor(() => converged(b), { timeout: options.convergeMs ?? 30_000, interval: 50 });

    await settle(board);
    const cycles: CycleReport[] = [];
    const bag: Outage[] = [];
    for (let c = 0; c < options.cycles; c++) {
      const before = await traffic();
      // drawn from a shuffled bag of the outages: every kind in any run of them, in seeded order
      if (bag.length === 0) bag.push(...[...broker.outages].sort(() => random() - 0.5));
      const outage = bag.pop() as Outage;
      await broker.down(outage, random);
      const downAt = performance.now();
      // lit now (the socket closed while the broker exited) or lit by a frame from here on; a desk that
      // lost its link just before (a late keep-alive on a loaded machine) is lit already, with no new frame
      for (const desk of desks) desk.sawOffline = desk.panel.frame[LINK_LED]?.pattern !== 'off';
      const during = await traffic();
      let failoverMs: number | undefined;
      if (broker.whole) {
        // the offline lamp on every desk before the broker comes back
        await vi.waitFor(
          () => {
            const dark = desks.filter((d) => !d.sawOffline).map((d) => `${d.ext} (link ${d.agent.link})`);
            if (dark.length) throw new Error(`no offline lamp on ${dark.join(', ')} (cycle ${c}, ${outage})`);
          },
          { timeout: 15_000, interval: 20 },
        );
      } else {
        // a node down: its clients move to the others, and all of it holds before the node is back
        await settle(board);
        failoverMs = Math.round(performance.now() - downAt);
      }
      const restartAt = performance.now();
      await broker.up();
      await settle(board);
      const report: CycleReport = {
        outage,
        presses: before.presses + during.presses,
        accepted: before.ok + during.ok,
        refused: before.no + during.no,
        convergeMs: Math.round(performance.now() - restartAt),
        ...(failoverMs !== undefined ? { failoverMs } : {}),
      };
      cycles.push(report);
      log(`[soak] cycle ${c + 1}/${options.cycles} ${JSON.stringify(report)}`);
    }

    const shown = new Map(desks.map((d) => [d.ext, board?.model.row(ORG, d.ext)?.phoneMessages ?? []]));
    const texts = new Set([...shown.values()].flat().map((m) => m.text));
    const all = [...accepted.values()].flatMap((s) => [...s]);
    return {
      seed: options.seed,
      desks: options.desks,
      cycles,
      lostMessages: all.filter((t) => !texts.has(t)).length,
      messagesAccepted: all.length,
      messagesRefused: refused.size,
      ghostMessages: [...refused].filter((t) => texts.has(t)).length,
    };
  } finally {
    await bridge?.stop();
    await board?.close();
    await Promise.all(desks.map((d) => d.agent.stop()));
    await broker.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}
