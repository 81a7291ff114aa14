import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encode } from '../../protocol/index.js';
import { DEFAULT_LAYOUT } from '../../protocol/layouts.js';
import * as A from '../../test/support/arbitraries.js';
import { formatCsv } from '../directory/csv.js';
import { configMessage, parseLayout, planDevices, readDevicesCsv } from './assignments.js';
import type { Checked } from './checked.js';
import type { Fleet } from './fleet.js';

const NO_LAYOUTS = new Map<string, Checked<string>>();

const row = fc.record({
  deviceId: A.deviceId,
  ext: A.ext,
  forwardTo: fc.option(A.ext, { nil: undefined }),
  queues: fc.array(A.queueId, { maxLength: 16 }),
});

describe('device configs', () => {
  it('goes one version above the retained config, ack and applied version', () => {
    const fleet: Fleet = new Map([
      [
        'desk-1',
        {
          deviceId: 'desk-1',
          state: { v: 1, online: true, configVersion: 7 },
          config: { v: 1, version: 5, ext: '1', layout: DEFAULT_LAYOUT, queues: [] },
        },
      ],
    ]);
    const planned = configMessage('grastorp', { deviceId: 'desk-1', ext: '4711' }, fleet);
    if (!planned.ok) throw new Error(planned.reason);
    expect(planned.value.message.body?.version).toBe(8);
    expect(planned.value.summary).toBe('ext 1 → 4711');
    expect(encode(planned.value.message)).toMatchObject({
      topic: 'hanvisa/v1/grastorp/device/desk-1/config',
      retain: true,
      qos: 1,
    });
    expect(configMessage('grastorp', { deviceId: 'desk-2', ext: '4711' }, fleet)).toMatchObject({
      ok: true,
      value: { message: { body: { version: 1 } } },
    });
    expect(configMessage('grastorp', { deviceId: 'desk-2' }, fleet)).toEqual({
      ok: false,
      reason: 'no config pushed to it yet: give its extension',
    });
  });

  it('reads a layout file, or says what is wrong with it', () => {
    expect(parseLayout(JSON.stringify(DEFAULT_LAYOUT), 'l.json')).toEqual({
      ok: true,
      value: DEFAULT_LAYOUT,
    });
    expect(parseLayout('{"keys": [', 'l.json')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^l\.json:1:11: not JSON: /),
    });
    expect(
      parseLayout(
        '{"keys": [{"key": 1, "action": {"type": "open"}}, {"key": 1, "action": {"type": "open"}}], "leds": []}',
        'l.json',
      ),
    ).toEqual({
      ok: false,
      reason: 'l.json: keys[1]: 1 appears twice',
    });
    expect(
      parseLayout('{"keys": [{"key": 300, "action": {"type": "open"}}], "leds": []}', 'l.json'),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^l\.json: keys\[0\]\.key: /),
    });
  });
});

describe('the devices CSV', () => {
  it('reads back every valid row, with , or ; and Excel ways', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(row, { maxLength: 8, selector: (r) => r.deviceId }),
        fc.constantFrom(',' as const, ';' as const),
        fc.boolean(),
        (rows, delimiter, bom) => {
          const text = formatCsv(
            [
              ['Device', 'Anknytning', 'Forward-to', 'Queues'],
              ...rows.map((r) => [r.deviceId, r.ext, r.forwardTo ?? '', r.queues.join(' ')]),
            ],
            delimiter,
            { bom },
          );
          const file = readDevicesCsv(text, 'o');
          expect(file.errors).toEqual([]);
          expect(file.rows).toEqual(
            rows.map((r, i) => ({
              ...r,
              // an empty cell keeps the device's setting
              queues: r.queues.length ? r.queues : undefined,
              line: i + 2,
              org: 'o',
              layoutFile: undefined,
            })),
          );
          const plan = planDevices('o', file, NO_LAYOUTS, new Map());
          expect(plan.planned.map(({ message: m }) => [m.deviceId, m.body?.ext, m.body?.version])).toEqual(
            rows.map((r) => [r.deviceId, r.ext, 1]),
          );
        },
      ),
    );
  });

  it('reports each bad row with its line and reason and plans only the good ones', () => {
    const file = readDevicesCsv(
      [
        'device;ext;layout;forward_to',
        'desk-1;4711;;4712',
        'Desk 2;4712;;',
        'desk-3;47a;;',
        'desk-4;4714;;x',
        'desk-5;4715;wide.json;',
        'desk-6;4716;broken.json;',
        'desk-7;4717;missing.json;',
        'desk-1;4718;;',
        'desk-9;;;',
        'desk-10;4711;;',
      ].join('\n'),
      'o',
    );
    const layouts = new Map<string, Checked<string>>([
      ['wide.json', { ok: true, value: JSON.stringify(DEFAULT_LAYOUT) }],
      ['broken.json', { ok: true, value: '{' }],
      ['missing.json', { ok: false, reason: 'cannot read missing.json: ENOENT' }],
    ]);
    const plan = planDevices('o', file, layouts, new Map());
    expect(plan.errors.map((e) => [e.line, e.field, e.reason])).toEqual([
      [2, 'device', 'desk-1 appears on lines 2, 9; none of them is imported'],
      [3, undefined, 'device "Desk 2": lower-case letters, digits, _ and -, at most 64'],
      [4, undefined, 'ext "47a": 1-15 digits'],
      [5, undefined, 'forward-to "x": 1-15 digits'],
      [7, undefined, expect.stringMatching(/^layout broken\.json:1:2: not JSON/)],
      [8, undefined, 'layout missing.json: cannot read missing.json: ENOENT'],
      [9, 'device', 'desk-1 appears on lines 2, 9; none of them is imported'],
      [10, 'ext', 'required, but empty'],
    ]);
    expect(plan.planned.map((p) => p.message.deviceId)).toEqual(['desk-5', 'desk-10']);
    expect(plan.planned[0]?.message.body?.layout).toEqual(DEFAULT_LAYOUT);
    expect(file.warnings).toEqual([]);
  });

  it('an empty cell keeps the retained setting, - clears it, layout default goes back to the default', () => {
    const custom = { keys: [], leds: [] };
    const retained = {
      v: 1 as const,
      version: 2,
      ext: '1',
      layout: custom,
      forwardTo: '9',
      queues: ['vaxel'],
    };
    const fleet: Fleet = new Map(
      ['desk-1', 'desk-2'].map((deviceId) => [deviceId, { deviceId, config: retained }]),
    );
    const file = readDevicesCsv(
      'device,ext,layout,forward_to,queues\ndesk-1,2,,,\ndesk-2,1,default,-,-\n',
      'o',
    );
    const plan = planDevices('o', file, NO_LAYOUTS, fleet);
    expect(plan.errors).toEqual([]);
    expect(plan.planned.map((p) => [p.message.body, p.summary])).toEqual([
      [
        { ...retained, version: 3, ext: '2' },
        'ext 1 → 2; layout kept; forward-to kept: 9; queues kept: vaxel',
      ],
      [
        { v: 1, version: 3, ext: '1', layout: DEFAULT_LAYOUT, queues: [] },
        'ext 1; layout → default; forward-to 9 → none; queues vaxel → none',
      ],
    ]);
  });

  it('reads the org column: an empty cell is --org, and only --org is planned', () => {
    const file = readDevicesCsv(
      'device,ext,org\ndesk-1,4711,lerum\ndesk-2,4711,\ndesk-3,1,Bad Org\ndesk-4,2,vargarda\n',
      'alingsas',
    );
    expect(file.rows.map((r) => [r.deviceId, r.org])).toEqual([
      ['desk-1', 'lerum'],
      ['desk-2', 'alingsas'],
      ['desk-4', 'vargarda'],
    ]);
    expect(file.errors).toEqual([
      { file: 'devices', line: 4, reason: 'org "Bad Org": lower-case letters, digits and -, at most 32' },
    ]);
    // 4711 in lerum and in alingsas are two people
    expect(file.warnings).toEqual([]);
    expect(file.orgColumn).toBe(true);
    const plan = planDevices('alingsas', file, NO_LAYOUTS, new Map());
    expect(plan.planned.map((p) => [p.message.org, p.message.deviceId])).toEqual([['alingsas', 'desk-2']]);
    expect(plan.otherOrgs.map((r) => r.deviceId)).toEqual(['desk-1', 'desk-4']);
  });

  it('warns when two desks serve one extension, and names a missing column', () => {
    expect(readDevicesCsv('device,ext\ndesk-1,4711\ndesk-2,4711\n', 'o').warnings).toEqual([
      'devices:3: ext 4711 is also on desk-1: two desks for one person',
    ]);
    expect(readDevicesCsv('device,phone\ndesk-1,4711\n').errors).toEqual([
      { file: 'devices', line: 1, reason: 'missing column(s): ext/anknytning' },
    ]);
    expect(readDevicesCsv('').errors).toEqual([
      { file: 'devices', line: 1, reason: 'empty file: the first line must name the columns' },
    ]);
  });
});
