// Shared by the board benchmarks: a municipality of 50,000 people on a Mosquitto (directory persons
// and departments, one presence each, all retained), published fast; the stream publisher (its own
// process); the board in this process or as shipped (`hanvisa board` from dist/, its own process); and
// a bare mqtt.js process holding the same retained bytes, for memory.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { encode, type Message, type Presence } from '../../protocol/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { buildProduct as buildThisProduct, HANVISA, PROBE, ROOT as root } from '../support/build-product.js';

/**
 * The checkout whose board `boardProcess` runs: this one, or the one `BENCH_BOARD_ROOT` names (an old
 * commit's worktree, built by its caller: scripts/bench-bisect.sh), so this bench measures any
 * commit's board and page with the same harness.
 */
const BOARD_ROOT = process.env.BENCH_BOARD_ROOT;

/** Builds this checkout's dist/, unless the board measured is another checkout's (built already). */
export const buildProduct = (): Promise<void> => (BOARD_ROOT ? Promise.resolve() : buildThisProduct());

export const ORG = 'benchkommun';
export const PEOPLE = 50_000;
const FIRST_EXT = 100_000;
const extOf = (i: number) => String(FIRST_EXT + i);

const FIRST =
  'Anna Erik Maria Lars Karin Anders Eva Johan Sara Per Lena Mikael Kerstin Nils Ingrid Olof Åsa Björn Elin Gustav Märta Jonas Sofia Henrik Ulla David Cecilia Fredrik Helena Stefan'.split(
    ' ',
  );
const LAST =
  'Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson Jonsson Lind Ek Lund Berg Holm Strand Öberg Åkesson Sjöberg Wallin Hedlund Nyström Forsberg Sandberg Lindqvist'.split(
    ' ',
  );
const TITLES =
  'Handläggare, Socialsekreterare, Bygglovshandläggare, Enhetschef, Lärare, Undersköterska, Administratör, Ekonom, Controller, Miljöinspektör'.split(
    ', ',
  );
const DEPARTMENTS = 60;
/** The last department: a small set the throughput bench narrows the search to, so updates hit visible rows. */
const WATCHED_DEPARTMENT = 'matgruppen';
export const WATCHED = 20;

const departmentOf = (i: number) =>
  i % Math.floor(PEOPLE / WATCHED) === 0 && i / Math.floor(PEOPLE / WATCHED) < WATCHED
    ? WATCHED_DEPARTMENT
    : `avd-${i % DEPARTMENTS}`;

function personName(i: number): string {
  return `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
}

const SINCE = '2026-11-23T07:00:00.000Z';

/** seq 0: everyone's first presence; some away, so the board has states to show */
function presenceOf(i: number, seq: number): Presence {
  const away = i % 3 === 0;
  return {
    v: 1,
    status: away ? 'away' : 'available',
    reason: away ? 'meeting' : null,
    since: SINCE,
    until: away ? '2026-11-23T15:00:00.000Z' : null,
    alt: null,
    seq,
    by: { kind: 'desk', id: `desk-${i}` },
    at: SINCE,
  };
}

/** Bodies as published: the schemas' defaults (phone hours, workday …) are filled in by decode(). */
const input = (m: { kind: string; org: string; body: object } & Record<string, unknown>) =>
  m as unknown as Message;

/** Every retained message of the municipality, in publish order (org, departments, persons, presences). */
function* retainedSet(options: { directory: boolean }): Generator<Message> {
  if (options.directory) {
    yield input({
      kind: 'directory-org',
      org: ORG,
      body: { v: 1, name: 'Mätköping kommun', timeZone: 'Europe/Stockholm', locale: 'sv' },
    });
    for (let d = 0; d < DEPARTMENTS; d++)
      yield input({
        kind: 'directory-department',
        org: ORG,
        departmentId: `avd-${d}`,
        body: { v: 1, name: `Avdelning ${d}` },
      });
    yield input({
      kind: 'directory-department',
      org: ORG,
      departmentId: WATCHED_DEPARTMENT,
      body: { v: 1, name: 'Mätgruppen' },
    });
    for (let i = 0; i < PEOPLE; i++)
      yield {
        kind: 'directory-person',
        org: ORG,
        ext: extOf(i),
        body: {
          v: 1,
          name: personName(i),
          department: departmentOf(i),
          title: TITLES[i % TITLES.length],
          direct: `0950-${extOf(i)}`,
        },
      };
  }
  for (let i = 0; i < PEOPLE; i++)
    yield { kind: 'presence', org: ORG, ext: extOf(i), body: presenceOf(i, 0) };
}

/**
 * Publishes the set as retained QoS 0, pipelined, then one QoS 1 marker: Mosquitto handles one
 * connection's packets in order, so the marker's PUBACK means every message before it is retained.
 * Returns how many messages were published.
 */
export async function publishRetained(url: string, options: { directory: boolean }): Promise<number> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, clean: true });
  let n = 0;
  for (const message of retainedSet(options)) {
    const { topic, payload } = encode(message);
    client.publish(topic, payload, { qos: 0, retain: true });
    n++;
  }
  await client.publishAsync(`hanvisa/v1/${ORG}/bench/marker`, 'done', { qos: 1 });
  await client.endAsync();
  return n;
}

export const presenceFilter = `hanvisa/v1/${ORG}/presence/+`;

/** The stamp a stream presence carries in its note: the publisher's Date.now() at publish. */
export const stampOf = (note: string | null | undefined) =>
  note?.startsWith('t') ? Number(note.slice(1)) : Number.NaN;

// The stream publisher runs as its own process, so neither the board nor the bare subscriber shares an
// event loop with it. Plain JS (no TypeScript in the child); the payload is a contract presence.
const PUBLISHER = `
import mqtt from 'mqtt';
const [url, org, rate, seconds, people, firstExt, watchedEvery, watchedStep, watched, seqBase] = process.argv.slice(-10).map((a, i) => (i < 2 ? a : Number(a)));
const client = await mqtt.connectAsync(url, { protocolVersion: 4, clean: true });
client.stream.setNoDelay?.(true);
const seq = new Map();
let rnd = 12345;
const random = () => ((rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0) / 2 ** 32);
let sent = 0;
const total = rate * seconds;
const t0 = Date.now();
await new Promise((resolve) => {
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((Date.now() - t0) / 1000) * rate));
    for (; sent < due; sent++) {
      // every watchedEvery-th change goes to a person in the watched department (rows in view)
      const i = sent % watchedEvery === 0 ? Math.floor(random() * watched) * watchedStep : Math.floor(random() * people);
      const ext = String(firstExt + i);
      const s = (seq.get(ext) ?? seqBase) + 1;
      seq.set(ext, s);
      const now = Date.now();
      const at = new Date(now).toISOString();
      const away = s % 2 === 1;
      const body = {
        v: 1, status: away ? 'away' : 'available', reason: away ? 'lunch' : null, since: at,
        until: away ? '2026-11-23T16:00:00.000Z' : null,
        alt: away ? { kind: 'info', text: 't' + now } : null, note: 't' + now, seq: s,
        by: { kind: 'desk', id: 'desk-' + i }, at,
      };
      client.publish('hanvisa/v1/' + org + '/presence/' + ext, JSON.stringify(body), { qos: 1, retain: true });
    }
    if (sent >= total) { clearInterval(timer); resolve(); }
  }, 5);
});
const elapsed = Date.now() - t0;
await client.endAsync();
process.stdout.write(JSON.stringify({ sent, elapsedMs: elapsed }));
`;

/** Every child process a bench started, so afterAll can end those a failed run left behind. */
const started = new Set<ChildProcess>();

export async function stopChildren(): Promise<void> {
  await Promise.all(
    [...started].map(async (child) => {
      started.delete(child);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }),
  );
}

export interface StreamOptions {
  url: string;
  rate: number;
  seconds: number;
  /** one change in this many goes to the watched department */
  watchedEvery: number;
  /** each person's first change has seq seqBase + 1: a second stream must start above the first */
  seqBase: number;
}

/** Runs the stream publisher to the end; resolves with what it sent. */
export function runStream(o: StreamOptions): {
  done: Promise<{ sent: number; elapsedMs: number }>;
} {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      PUBLISHER,
      o.url,
      ORG,
      String(o.rate),
      String(o.seconds),
      String(PEOPLE),
      String(FIRST_EXT),
      String(o.watchedEvery),
      String(Math.floor(PEOPLE / WATCHED)),
      String(WATCHED),
      String(o.seqBase),
    ],
    { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const done = new Promise<{ sent: number; elapsedMs: number }>((resolve, reject) => {
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out));
      else reject(new Error(`stream publisher exited ${code}: ${err}`));
    });
  });
  started.add(child);
  return { done };
}

export const round = (x: number, digits = 1) => Number(x.toFixed(digits));

/** A board (no access control) on the broker, resolved once its model has applied all `retained` messages. */
export async function startLoadedBoard(brokerUrl: string, retained: number): Promise<Board> {
  const board = await startBoard({ brokerUrl, port: 0, orgs: [ORG] });
  await new Promise<void>((resolve) => {
    if (board.model.stats.applied >= retained) return resolve();
    const check = () => {
      if (board.model.stats.applied < retained) return;
      off();
      resolve();
    };
    // after the board's model feature: each message is applied when this runs
    const off = board.session.bus.on('message', check);
  });
  return board;
}

interface Memory {
  rssMB: number;
  privateMB: number;
  heapMB: number;
}

/** A child process with idle-probe.mjs preloaded, which reports its memory over IPC. */
export class Probed {
  private stderr = '';
  private replies: ((m: Memory) => void)[] = [];
  readonly exited: Promise<void>;
  readonly proc: ChildProcess;
  constructor(args: string[], cwd = root) {
    this.proc = spawn(process.execPath, ['--import', PROBE, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.proc.stderr?.on('data', (d) => {
      this.stderr = (this.stderr + d).slice(-4000);
    });
    this.proc.on('message', (m: { type: string } & Memory) => {
      if (m.type === 'report') this.replies.shift()?.(m);
    });
    this.exited = new Promise((resolve) => this.proc.once('exit', () => resolve()));
    started.add(this.proc);
  }
  memory(): Promise<Memory> {
    return new Promise((resolve) => {
      this.replies.push(resolve);
      this.proc.send({ type: 'report' });
    });
  }
  log(): string {
    return this.stderr;
  }
  /** CPU time (user + system, all threads) the process has used so far, from /proc: 10 ms steps. */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8');
    // the fields after the command name, which is in parentheses and may hold spaces: utime is the 14th
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }
  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    await this.exited;
  }
}

/** `hanvisa board` as shipped (open access), on the given port. */
export function boardProcess(brokerUrl: string, port: number): Probed {
  const hanvisa = BOARD_ROOT ? join(BOARD_ROOT, 'dist', 'bin', 'hanvisa.js') : HANVISA;
  const args = [hanvisa, 'board', '--broker', brokerUrl, '--port', String(port), '--org', ORG];
  return new Probed(args, BOARD_ROOT ?? root);
}

// The raw transport holding the same state: every retained message's bytes by topic, nothing decoded.
const RAW_HOLDER = `
import mqtt from 'mqtt';
const [url, filter, expected] = process.argv.slice(-3);
const held = new Map();
const client = mqtt.connect(url, { protocolVersion: 4, clean: true });
client.on('connect', () => client.subscribe(filter, { qos: 1 }));
client.on('message', (topic, payload) => {
  held.set(topic, payload);
  if (held.size === Number(expected)) process.stdout.write('ready\\n');
});
process.on('SIGTERM', () => client.end(true, {}, () => process.exit(0)));
`;

/** A bare mqtt.js process holding the retained set raw; resolves once it holds `expected` topics. */
export async function rawHolder(brokerUrl: string, expected: number): Promise<Probed> {
  const child = new Probed([
    '--input-type=module',
    '-e',
    RAW_HOLDER,
    brokerUrl,
    `hanvisa/v1/${ORG}/#`,
    String(expected),
  ]);
  await new Promise<void>((resolve, reject) => {
    child.proc.stdout?.on('data', (d) => {
      if (String(d).includes('ready')) resolve();
    });
    child.exited.then(() => reject(new Error(`raw holder exited: ${child.log()}`)));
  });
  return child;
}
