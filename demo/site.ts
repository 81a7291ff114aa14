// The whole site in one process, as `npm start` runs it: embedded broker, the operators' board with its
// statistics page, the recorder (into a SQLite file), the simulated switchboard, a few desk agents
// with virtual panels whose pages are linked from the board, and the staff page on a second board
// behind the demo's staff logins (staff-users.ts). The demo is the one room that may run
// both sides, the desks and the switchboard; it starts each part through that part's own API.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deskCaptions } from '../agent/desk/labels.js';
import { type Agent, startAgent } from '../agent/runtime/agent.js';
import { parseConfig } from '../agent/runtime/config.js';
import { VirtualPanel } from '../hardware/virtual/panel.js';
import { type DeskPages, startDeskPages, type VirtualDesk } from '../hardware/virtual/web.js';
import { createLogger } from '../log/logger.js';
import { uniqueClientId } from '../mqtt/client.js';
import { type KeyLayout, topicFor } from '../protocol/index.js';
import { DEFAULT_LAYOUT } from '../protocol/layouts.js';
import { policyFromOrg } from '../rules/policy.js';
import { ContractSession } from '../session/contract-session.js';
import { createAuth, type User } from '../switchboard/auth/index.js';
import { type Board, startBoard } from '../switchboard/board/server.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../switchboard/broker/embedded.js';
import { type Recorder, startRecorder } from '../switchboard/recorder/recorder.js';
import { openStorage } from '../switchboard/recorder/storage/open.js';
import { DEMO_DEPARTMENTS, DEMO_ORG, DEMO_PEOPLE } from '../switchboard/simulator/scenario.js';
import { type Simulator, startSimulator } from '../switchboard/simulator/simulator.js';
import { demoStaffUsers } from './staff-users.js';

export interface SiteOptions {
  /** 0 picks free ports (tests); the defaults are 1883, 8080 and 8081 */
  brokerPort?: number;
  boardPort?: number;
  desksPort?: number;
  /** the staff's board (the staff page, /staff/); default 8082 */
  staffPort?: number;
  host?: string;
  org?: string;
  /** how many of the demo people get a virtual desk */
  desks?: number;
  seed?: number;
  /** where the site keeps its state across restarts: the broker's retained messages (directory,
   * settings, referrals, desk configs), the desks' journals and the recorder's store; default a
   * temporary directory that close() removes */
  dataDir?: string;
  /** the recorder's SQLite file; default record.db in the data directory */
  storePath?: string;
}

export interface Site {
  brokerUrl: string;
  boardUrl: string;
  desksUrl: string;
  /** the staff's board; its page is /staff/, logins in `staffUsers` */
  staffUrl: string;
  /** the demo's staff logins (all with DEMO_STAFF_PASSWORD) */
  staffUsers: readonly Pick<User, 'username' | 'name' | 'role' | 'ext'>[];
  agents: ReadonlyMap<string, Agent>;
  panels: ReadonlyMap<string, VirtualPanel>;
  board: Board;
  recorder: Recorder;
  close(): Promise<void>;
}

/** The default layout with its queue LED on the person's own department queue. */
function layoutFor(queue: string | undefined): KeyLayout {
  return {
    keys: DEFAULT_LAYOUT.keys,
    leds: DEFAULT_LAYOUT.leds.flatMap((l) => {
      if (l.role.type !== 'queue') return [l];
      return queue ? [{ led: l.led, role: { type: 'queue' as const, queue } }] : [];
    }),
  };
}

export async function startSite(options: SiteOptions = {}): Promise<Site> {
  const org = options.org ?? 'demo';
  const host = options.host ?? '127.0.0.1';
  const people = DEMO_PEOPLE.slice(0, options.desks ?? 4);
  const data = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'hanvisa-site-')));
  const journals = join(data, 'desks');
  await mkdir(journals, { recursive: true });
  // Everything started so far, stopped in reverse order by close() (also when a later start fails).
  const stops: (() => Promise<void>)[] = options.dataDir
    ? []
    : [() => rm(data, { recursive: true, force: true })];
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  };
  try {
    const broker: EmbeddedBroker = await startEmbeddedBroker({
      port: options.brokerPort ?? 1883,
      host,
      stateFile: join(data, 'broker.json'),
    });
    stops.push(() => broker.close());
    // A restarted demo keeps what the broker held: the first run alone publishes the demo directory
    // and each desk's first config.
    const seeded = await broker.hasRetained(topicFor({ kind: 'directory-org', org }));

    // Everyone without a virtual desk has their referral set by a (simulated) calendar, so no one on
    // the board stays unknown.
    const simulator: Simulator = startSimulator({
      brokerUrl: broker.url,
      org,
      seed: options.seed ?? 1,
      calendarFor: DEMO_PEOPLE.filter((p) => !people.includes(p)).map((p) => p.ext),
      publishDirectory: !seeded,
    });
    stops.push(() => simulator.stop());
    await simulator.ready;

    // IT's part in the demo: each virtual desk's assignment, retained, as `hanvisa devices assign` would
    // push it. The board takes a desk's extension from this, never from the desk's own state.
    const it = new ContractSession({
      url: broker.url,
      clientId: uniqueClientId('demo-it'),
      filters: [],
      log: createLogger('demo-it'),
    });
    await it.start([]);
    for (const person of people) {
      const deviceId = `desk-${person.ext}`;
      if (await broker.hasRetained(topicFor({ kind: 'device-config', org, deviceId }))) continue;
      const queue = DEMO_DEPARTMENTS.find((d) => d.id === person.department)?.queue;
      const colleague = people.find((p) => p.department === person.department && p.ext !== person.ext);
      await it.publish({
        kind: 'device-config',
        org,
        deviceId,
        body: {
          v: 1,
          version: 1,
          ext: person.ext,
          layout: layoutFor(queue),
          ...(colleague ? { forwardTo: colleague.ext } : {}),
          queues: queue ? [queue] : [],
        },
      });
    }
    await it.close();

    const panels = new Map<string, VirtualPanel>();
    const desks = new Map<string, VirtualDesk>();
    const agents = new Map<string, Agent>();
    for (const person of people) {
      const queue = DEMO_DEPARTMENTS.find((d) => d.id === person.department)?.queue;
      const colleague = people.find((p) => p.department === person.department && p.ext !== person.ext);
      const config = parseConfig(
        {
          org,
          ext: person.ext,
          deviceId: `desk-${person.ext}`,
          broker: { url: broker.url },
          layout: layoutFor(queue),
          ...(colleague ? { forwardTo: colleague.ext } : {}),
          journalPath: join(journals, `desk-${person.ext}.json`),
        },
        `virtual desk ${person.ext}`,
      );
      const panel = new VirtualPanel({ hardwareId: `virtual-${person.ext}` });
      const agent = await startAgent(config, { panel });
      stops.push(() => agent.stop());
      panels.set(person.ext, panel);
      agents.set(person.ext, agent);
      desks.set(person.ext, {
        panel,
        label: `${person.name}, ${person.title} (${person.ext})`,
        // the layout and reasons in force (IT may push another), in the board's language, one
        // language per key as a printed panel has
        captions: () => deskCaptions(agent.layout, agent.reasons, 'sv'),
        watch: (listener) => agent.onChange(listener),
        longPressMs: policyFromOrg(DEMO_ORG).longPressMs,
      });
    }

    const deskPages: DeskPages = await startDeskPages({
      panels: desks,
      port: options.desksPort ?? 8081,
      host,
    });
    stops.push(() => deskPages.close());

    const storage = await openStorage(options.storePath ?? join(data, 'record.db'));
    stops.push(() => storage.close());
    const recorder = await startRecorder({ brokerUrl: broker.url, storage, orgs: [org] });
    stops.push(() => recorder.close());

    const board = await startBoard({
      stats: { storage },
      // The demo on a laptop: no login, everyone an operator (logged loudly). Real use: hanvisa board --users.
      auth: createAuth({ openAccess: true }),
      brokerUrl: broker.url,
      port: options.boardPort ?? 8080,
      host,
      orgs: [org],
      deskLinks: (ext, deskOrg) =>
        deskOrg === org && desks.has(ext) ? `${deskPages.url}/desk/${ext}` : undefined,
    });
    stops.push(() => board.close());

    // The staff page needs a person behind it, which open access has not: a second board on the same
    // broker and store, behind the demo's staff logins, one per virtual desk (docs: README's demo).
    const staffUsers = await demoStaffUsers(org, people);
    const staffBoard = await startBoard({
      stats: { storage },
      auth: createAuth({ users: staffUsers }),
      brokerUrl: broker.url,
      port: options.staffPort ?? 8082,
      host,
      orgs: [org],
    });
    stops.push(() => staffBoard.close());

    return {
      brokerUrl: broker.url,
      boardUrl: board.url,
      desksUrl: deskPages.url,
      staffUrl: staffBoard.url,
      staffUsers: staffUsers.map(({ username, name, role, ext }) => ({ username, name, role, ext })),
      agents,
      panels,
      board,
      recorder,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
