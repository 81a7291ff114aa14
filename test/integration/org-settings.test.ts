// `hanvisa org` against a real Mosquitto: publishes directory/org from the settings file, publishes it
// again when the broker comes back without its store, and refuses a bad file on reload, keeping the
// settings as they were.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../cli/usage-error.js';
import { decode, type OrgInfo, topicFor } from '../../protocol/index.js';
import { calendarCommand } from '../../switchboard/calendar/command.js';
import { orgCommand } from '../../switchboard/org/command.js';
import { linesContext } from '../support/command.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';
import { retainedAs } from '../support/retained.js';

const ORG = 'arjeplog';
const topic = topicFor({ kind: 'directory-org', org: ORG });

async function retainedOrg(url: string): Promise<OrgInfo | undefined> {
  const payload = (await retainedAs(url, {}, [topic], `hanvisa/v1/${ORG}/probe`)).get(topic)?.payload;
  if (!payload) return undefined;
  const r = decode(topic, payload);
  return r.ok && r.message.kind === 'directory-org' ? (r.message.body ?? undefined) : undefined;
}

describe('hanvisa org', () => {
  let broker: Mosquitto;
  let dir: string;
  beforeAll(async () => {
    broker = await startMosquitto();
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-org-'));
  });
  afterAll(async () => {
    await broker?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes the settings, again after the broker lost its store, and refuses a bad reload', async () => {
    const file = join(dir, 'org.json');
    await writeFile(file, readFileSync('examples/org-arjeplog.json'));
    const stop = new AbortController();
    const hangup = new EventEmitter();
    const out: string[] = [];
    const err: string[] = [];
    const running = orgCommand(
      ['--org', ORG, '--settings', file, '--broker', broker.url],
      linesContext({ signal: stop.signal, out: (l) => out.push(l), err: (l) => err.push(l), hangup }),
    );
    await vi.waitFor(() => expect(out).toContain(`published directory/org for ${ORG}`), { timeout: 15_000 });
    const first = await retainedOrg(broker.url);
    expect(first).toMatchObject({ name: 'Arjeplogs kommun', workdays: [1, 2, 3, 4, 5], stepMinutes: 15 });
    expect(first?.holidays).toContain('2026-06-19'); // midsommarafton
    expect(first?.holidays).toContain('2026-12-23'); // the local extra day

    // the broker restarts without persistence: the retained settings are gone until we say them again
    await broker.stop();
    await broker.start();
    await vi.waitFor(async () => expect(await retainedOrg(broker.url)).toEqual(first), { timeout: 20_000 });

    // a bad file on SIGHUP: refused with the field named, the published settings stay
    await writeFile(file, JSON.stringify({ ...first, v: undefined, stepMinutes: -5 }));
    hangup.emit('SIGHUP');
    expect(err.join('\n')).toMatch(/settings not reloaded[\s\S]*stepMinutes/);
    expect(await retainedOrg(broker.url)).toEqual(first);

    stop.abort();
    await running;
    expect(hangup.listenerCount('SIGHUP')).toBe(0);
  });

  it('--check prints what it would publish; a bad file is refused naming each field', async () => {
    const out: string[] = [];
    await orgCommand(
      ['--settings', 'examples/org-guldborgsund.json', '--check'],
      linesContext({ out: (l) => out.push(l) }),
    );
    expect(JSON.parse(out.join('\n'))).toMatchObject({ locale: 'da', callback: 'same-day' });
    const bad = join(dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({ name: 'x', timeZone: 'Mars/Olympus', locale: 'no', queueAlarmSeconds: 'soon' }),
    );
    const refused = orgCommand(['--settings', bad, '--check'], linesContext({}));
    await expect(refused).rejects.toThrow(UsageError);
    await expect(orgCommand(['--settings', bad, '--check'], linesContext({}))).rejects.toThrow(
      /timeZone[\s\S]*locale[\s\S]*queueAlarmSeconds/,
    );
  });

  it('hanvisa calendar --check lists whose calendar is read from where, and refuses a bad file', async () => {
    const out: string[] = [];
    const password = join(dir, 'caldav-password');
    await writeFile(password, 'secret\n');
    const config = JSON.parse(readFileSync('examples/calendar.json', 'utf8'));
    config.people[2].caldav.passwordFile = password;
    const file = join(dir, 'calendar.json');
    await writeFile(file, JSON.stringify(config));
    await calendarCommand(['--config', file, '--check'], linesContext({ out: (l) => out.push(l) }));
    expect(out.join('\n')).toMatch(/2101\thttps:\/\/outlook\.office365\.com\/owa\/calendar/);
    expect(out.join('\n')).not.toMatch(/reachcalendar|secret/);
    expect(out.at(-1)).toMatch(/^3 calendars/);
    await writeFile(file, JSON.stringify({ people: [{ ext: '12a', ics: 'x', file: 'y' }] }));
    await expect(calendarCommand(['--config', file, '--check'], linesContext({}))).rejects.toThrow(
      /people\[0\]\.ext[\s\S]*exactly one/,
    );
  });
});
