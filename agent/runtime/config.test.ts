import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigFileError } from '../../config/json-file.js';
import { DEFAULT_LAYOUT } from '../../protocol/layouts.js';
import { loadConfig, parseConfig } from './config.js';

const good = {
  org: 'grastorp',
  ext: '4711',
  deviceId: 'desk-1',
  broker: { url: 'mqtt://127.0.0.1:1883' },
  journalPath: 'journal.json',
};

function problems(json: unknown): string[] {
  try {
    parseConfig(json);
  } catch (e) {
    if (e instanceof ConfigFileError) return [...e.problems];
    throw e;
  }
  return [];
}

describe('agent config', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fills the defaults and resolves the journal next to the config file', async () => {
    const path = join(dir, 'agent.json');
    await writeFile(path, JSON.stringify(good));
    const cfg = loadConfig(path);
    expect(cfg.broker.keepaliveSeconds).toBe(10);
    expect(cfg.layout).toEqual(DEFAULT_LAYOUT);
    expect(cfg.driver).toEqual({ type: 'virtual' });
    expect(cfg.queues).toEqual([]);
    expect(cfg.journalPath).toBe(join(dir, 'journal.json'));
  });

  it("takes a cluster's nodes as one comma-separated broker.url", () => {
    const nodes = 'mqtt://n1.example:1883, mqtt://n2.example:1883,mqtts://n3.example:8883';
    expect(parseConfig({ ...good, broker: { url: nodes } }).broker.url).toBe(nodes);
  });

  it.each([
    [{ ...good, broker: { url: 'not a url' } }, 'broker.url: Invalid URL'],
    [{ ...good, broker: { url: 'http://example.org' } }, 'broker.url: Invalid URL'],
    [{ ...good, broker: { url: 'mqtt://a:1883,ws://b:8080' } }, 'broker.url: Invalid URL'],
    [{ ...good, broker: { url: 'mqtt://a:1883,,mqtt://b:1883' } }, 'broker.url: Invalid URL'],
    [{ ...good, ext: '47a' }, 'ext: extension: 1-15 digits'],
    [{ ...good, broker: { ...good.broker, keepaliveSeconds: 1 } }, 'broker.keepaliveSeconds:'],
    [{ ...good, driver: { type: 'serial' } }, 'driver.path:'],
    [{ ...good, driver: { type: 'bluetooth' } }, 'driver.type:'],
    [{ ...good, driver: { type: 'firmata' } }, 'driver.path:'],
    [
      { ...good, driver: { type: 'firmata', path: '/dev/ttyACM0', pins: { keys: [2, 1], leds: [] } } },
      'driver.pins.keys[1]: a pin number from 2 (0 and 1 are the serial link)',
    ],
    [
      { ...good, driver: { type: 'firmata', path: '/dev/ttyACM0', pins: { keys: ['D4'], leds: [] } } },
      'driver.pins.keys[0]: a pin number from 2',
    ],
    [
      {
        ...good,
        driver: { type: 'firmata', path: '/dev/ttyACM0', pins: { keys: [2, 'A0'], leds: [3, 'A0'] } },
      },
      'driver.pins.leds[1]: pin A0 is already keys.1',
    ],
    [
      { ...good, layout: { keys: [{ key: 1, action: { type: 'reason', reason: 'Lunch!' } }], leds: [] } },
      'layout.keys[0].action.reason:',
    ],
    [{ ...good, timeZone: 'Europe/Nowhere' }, 'timeZone: unknown IANA time zone'],
    [{ ...good, brokr: {} }, '(file): Unrecognized key: "brokr"'],
    [{ ...good, journalPath: undefined }, 'journalPath:'],
  ])('names the bad field: %j', (json, expected) => {
    expect(problems(json).join('\n')).toContain(expected);
  });

  it('takes a Firmata panel with the default pins or its own', () => {
    const firmata = { type: 'firmata', path: '/dev/ttyACM0' };
    expect(parseConfig({ ...good, driver: firmata }).driver).toEqual(firmata);
    const pins = { keys: [2, 3, 'A0'], leds: [13, 'A5'] };
    expect(parseConfig({ ...good, driver: { ...firmata, pins } }).driver).toEqual({ ...firmata, pins });
  });

  it("refuses a forward to the desk's own extension (issue 23: it reaches nobody)", () => {
    expect(problems({ ...good, forwardTo: '4711' })).toEqual([
      "forwardTo: the desk's own extension: a forward there reaches nobody",
    ]);
    expect(problems({ ...good, forwardTo: '4712' })).toEqual([]);
  });

  it('reports a file that is not JSON, with its path', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ "org": ');
    expect(() => loadConfig(path)).toThrow(/^agent config .*broken\.json:1:10: not JSON: Unexpected end/);
    expect(() => loadConfig(join(dir, 'missing.json'))).toThrow(
      /^agent config: no such file: .*missing\.json$/,
    );
  });

  it('reads the broker password from a file beside the config, so the config holds no secret', async () => {
    await writeFile(join(dir, 'desk.password'), 's3cret\n');
    const withFile = {
      ...good,
      broker: { ...good.broker, username: 'desk-1', passwordFile: 'desk.password' },
    };
    await writeFile(join(dir, 'desk.json'), JSON.stringify(withFile));
    expect(loadConfig(join(dir, 'desk.json')).broker).toEqual({
      url: 'mqtt://127.0.0.1:1883',
      username: 'desk-1',
      password: 's3cret',
      keepaliveSeconds: 10,
    });
    expect(problems({ ...good, broker: { ...withFile.broker, password: 'x' } })).toEqual([
      'broker: password or passwordFile, not both',
    ]);
    expect(() => parseConfig(withFile, 'agent config', join(dir, 'elsewhere'))).toThrow(
      `broker.passwordFile: no such file: ${join(dir, 'elsewhere', 'desk.password')}`,
    );
  });
});
