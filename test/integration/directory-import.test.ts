// `hanvisa import` against a real Mosquitto: the example files become the retained directory that a
// plain subscriber and the board see; --prune clears a dropped person; a bad row publishes nothing.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decode } from '../../protocol/index.js';
import { BoardModel } from '../../switchboard/board/model.js';
import { importCommand } from '../../switchboard/directory/import-command.js';
import { startModelSession } from '../support/board-session.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { retainedAs } from '../support/retained.js';

const PEOPLE = 'examples/people.csv';
const DEPARTMENTS = 'examples/departments.csv';

let broker: Mosquitto;
let dir: string;

beforeAll(async () => {
  broker = await startMosquitto();
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-import-'));
});
afterAll(async () => {
  await broker?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function run(args: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await importCommand(['--broker', broker.url, ...args], {
    stdin: Readable.from([stdin]),
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/**
 * What a new subscriber gets for the org's directory: Mosquitto sends the retained messages of a
 * subscription before anything published after its SUBACK, so a marker we publish ourselves ends the set.
 */
/** The organisation's retained directory, topic → payload, as a fresh subscriber gets it. */
async function retained(org: string): Promise<Map<string, Buffer>> {
  const marker = `hanvisa/v1/${org}/directory/marker-${Math.random().toString(16).slice(2)}`;
  const kept = await retainedAs(broker.url, {}, [`hanvisa/v1/${org}/directory/#`], marker);
  return new Map([...kept].map(([topic, { payload }]) => [topic, payload]));
}

const file = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

describe('hanvisa import through Mosquitto', () => {
  it('publishes the example files as the retained directory a plain subscriber sees', async () => {
    const result = await run(['--org', 'sjovik', '--people', PEOPLE, '--departments', DEPARTMENTS]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('published 13, unchanged 0, removed 0');
    const messages = await retained('sjovik');
    expect(messages.size).toBe(13);
    for (const [topic, payload] of messages) expect(decode(topic, payload).ok).toBe(true);
    const person = decode(
      'hanvisa/v1/sjovik/directory/person/2103',
      messages.get('hanvisa/v1/sjovik/directory/person/2103') ?? Buffer.alloc(0),
    );
    expect(person.ok && person.message.body).toEqual({
      v: 1,
      name: 'Sofia Karlsson',
      department: 'socialtjanst',
      title: 'Enhetschef; barn och unga',
      direct: '0512-55 21 03',
      mobile: '070-347 25 45',
      email: 'sofia.karlsson@sjovik.example',
    });

    // importing the same files again changes nothing on the broker
    const again = await run(['--org', 'sjovik', '--people', PEOPLE, '--departments', DEPARTMENTS]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('published 0, unchanged 13, removed 0');
  });

  it('the board model shows the imported people and departments', async () => {
    await run(['--org', 'boardtest', '--people', PEOPLE, '--departments', DEPARTMENTS]);
    const model = new BoardModel();
    const board = await startModelSession({ brokerUrl: broker.url, model, orgs: ['boardtest'] });
    try {
      await board.ready;
      await vi.waitFor(() => expect(model.size).toBe(10));
      expect(model.row('boardtest', '2202')).toMatchObject({
        name: 'Elin Svensson',
        department: 'bygglov',
        title: 'Miljöinspektör',
        status: null,
      });
      await vi.waitFor(() => expect(model.departments.size).toBe(3));
      expect(model.departments.get('boardtest/socialtjanst')?.department.phoneHours).toEqual([
        { days: [1, 2, 3, 4, 5], from: '09:00', to: '11:00' },
        { days: [2, 4], from: '13:00', to: '14:00' },
      ]);
    } finally {
      await board.close();
    }
  });

  it('--prune clears a person dropped from the file; without it the person stays', async () => {
    await run(['--org', 'prune', '--people', PEOPLE, '--departments', DEPARTMENTS]);
    const lines = (await readFile(PEOPLE, 'utf8')).split('\r\n');
    const without = await file('without-2204.csv', lines.filter((l) => !l.startsWith('2204;')).join('\r\n'));

    const kept = await run(['--org', 'prune', '--people', without]);
    expect(kept.code).toBe(0);
    expect((await retained('prune')).has('hanvisa/v1/prune/directory/person/2204')).toBe(true);

    const model = new BoardModel();
    const board = await startModelSession({ brokerUrl: broker.url, model, orgs: ['prune'] });
    try {
      await board.ready;
      await vi.waitFor(() => expect(model.row('prune', '2204')?.name).toBe('Ingrid Olsson'));
      const pruned = await run(['--org', 'prune', '--people', without, '--prune']);
      expect(pruned.stderr).toBe('');
      expect(pruned.code).toBe(0);
      expect(pruned.stdout).toContain('published 0, unchanged 9, removed 1');
      const after = await retained('prune');
      expect(after.has('hanvisa/v1/prune/directory/person/2204')).toBe(false);
      expect(after.size).toBe(12);
      // the running board drops the row at once
      await vi.waitFor(() => expect(model.row('prune', '2204')).toBeUndefined());
      expect(model.size).toBe(9);
    } finally {
      await board.close();
    }
  });

  it('a bad row publishes nothing and is reported with file, line and field', async () => {
    await run(['--org', 'bad', '--people', PEOPLE, '--departments', DEPARTMENTS]);
    const before = await retained('bad');
    const people = await file(
      'bad.csv',
      'ext;name;department\n2001;Anna Lindqvist-Berg;kontaktcenter\n2009;;bygglov\n2010;Ny Person;bygglov\n',
    );
    const result = await run(['--org', 'bad', '--people', people]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^${people}:3: name: .+\\n$`));
    expect(result.stdout).toContain('1 error(s): nothing published');
    expect(await retained('bad')).toEqual(before);

    // --allow-partial publishes the good rows, and still exits 1
    const partial = await run(['--org', 'bad', '--people', people, '--allow-partial']);
    expect(partial.code).toBe(1);
    const after = await retained('bad');
    expect(after.size).toBe(before.size + 1);
    expect(JSON.parse(String(after.get('hanvisa/v1/bad/directory/person/2001'))).name).toBe(
      'Anna Lindqvist-Berg',
    );
  });

  it('--dry-run prints the plan and publishes nothing', async () => {
    const result = await run(['--org', 'dry', '--people', PEOPLE, '--departments', DEPARTMENTS, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('would publish 13');
    expect((await retained('dry')).size).toBe(0);
  });

  it('refuses wrong usage and unreadable files with exit code 2, an unreachable broker with 1', async () => {
    expect((await run(['--people', PEOPLE])).code).toBe(2);
    expect(await run(['--org', 'x', '--people', join(dir, 'missing.csv')])).toMatchObject({
      code: 2,
      stderr: `hanvisa import: people file: no such file: ${join(dir, 'missing.csv')}\n`,
    });
    // "Åsa" as Excel's plain CSV writes it on Swedish Windows (Windows-1252)
    const latin1 = join(dir, 'latin1.csv');
    await writeFile(latin1, Buffer.from('ext;name;department\n1;\xc5sa;kc\n', 'latin1'));
    const notUtf8 = await run(['--org', 'x', '--people', latin1]);
    expect(notUtf8.code).toBe(2);
    expect(notUtf8.stderr).toBe(
      `hanvisa import: people file ${latin1}: not UTF-8: save it from Excel as "CSV UTF-8"\n`,
    );
    const down = await importCommand(['--broker', 'mqtt://127.0.0.1:1', '--org', 'x', '--people', PEOPLE], {
      stdin: Readable.from(['']),
      stdout: { write: () => true },
      stderr: { write: () => true },
    });
    expect(down).toBe(1);
  });

  it('a broker that dies during the publish fails the import instead of hanging', async () => {
    const doomed = await startMosquitto();
    const watcher = await mqtt.connectAsync(doomed.url, { protocolVersion: 4, reconnectPeriod: 0 });
    try {
      const rows = ['ext,name,department'];
      for (let i = 0; i < 5000; i++) rows.push(`${20000 + i},Person ${i},bygglov`);
      const people = await file('doomed.csv', rows.join('\n'));
      await watcher.subscribeAsync('hanvisa/v1/doomed/directory/#', { qos: 0 });
      // SIGKILL as soon as the first imported message reaches another client
      watcher.once('message', () => void doomed.kill());
      const err: string[] = [];
      const code = await importCommand(
        ['--broker', doomed.url, '--org', 'doomed', '--people', people, '--departments', DEPARTMENTS],
        {
          stdin: Readable.from(['']),
          stdout: { write: () => true },
          stderr: { write: (t: string) => err.push(t) },
        },
      );
      expect(code).toBe(1);
      expect(err.join('')).toContain('dropped before every message was acknowledged');
    } finally {
      await watcher.endAsync(true);
      await doomed.dispose();
    }
  });

  it('imports 5,000 people', async () => {
    const rows = ['anknytning;namn;avdelning;titel;direkt'];
    const departments = ['kontaktcenter', 'socialtjanst', 'bygglov'];
    for (let i = 0; i < 5000; i++)
      rows.push(`${10000 + i};Person ${i};${departments[i % 3]};Handläggare;0512-${10000 + i}`);
    const people = await file('5000.csv', rows.join('\r\n'));
    const started = performance.now();
    const result = await run(['--org', 'large', '--people', people, '--departments', DEPARTMENTS]);
    const ms = performance.now() - started;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('published 5003');
    expect((await retained('large')).size).toBe(5003);
    console.log(`5,000-row import: ${Math.round(ms)} ms, including the 300 ms settle window`);
    expect(ms).toBeLessThan(10_000);
  }, 30_000);
});
