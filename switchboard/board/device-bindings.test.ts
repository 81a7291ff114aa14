// The board shows a desk device on the extension IT assigned it (device/{id}/config), never the one
// its own state claims (docs/protocol.md, "Security"), whatever order the retained values arrive in.
import { describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/index.js';
import { assign, state } from '../../test/support/device-fixture.js';
import { BoardModel } from './model.js';

const ORG = 'demo';
const person = (ext: string, name: string): Message => ({
  kind: 'directory-person',
  org: ORG,
  ext,
  body: { v: 1, name, department: 'social' },
});
const feed = (model: BoardModel, m: Message) => model.apply(m);

describe('device rows follow the assignment', () => {
  it('a device reassigned by IT leaves the old extension for the new one once it says so too', () => {
    const model = new BoardModel();
    feed(model, person('100', 'Anna Berg'));
    feed(model, person('101', 'Bo Ek'));
    feed(model, assign(ORG, 'desk-1', '100'));
    feed(model, state(ORG, 'desk-1', true, '100'));
    expect(model.row(ORG, '100')?.online).toBe(true);
    feed(model, assign(ORG, 'desk-1', '101'));
    // still claiming 100 until it has applied the new config: refused, shown nowhere
    expect([model.row(ORG, '100')?.online, model.row(ORG, '101')?.online]).toEqual([null, null]);
    feed(model, state(ORG, 'desk-1', true, '101'));
    expect([model.row(ORG, '100')?.online, model.row(ORG, '101')?.online]).toEqual([null, true]);
  });

  it("a device's own claim of another extension is refused and counted: the assignment decides", () => {
    const model = new BoardModel();
    feed(model, person('100', 'Anna Berg'));
    feed(model, person('101', 'Bo Ek'));
    feed(model, assign(ORG, 'desk-1', '100'));
    feed(model, state(ORG, 'desk-1', true, '101'));
    expect([model.row(ORG, '100')?.online, model.row(ORG, '101')?.online]).toEqual([null, null]);
    expect(model.stats.deviceRefused).toBe(1);
  });

  it('a device with a state but no assignment shows nowhere until IT assigns it (any arrival order)', () => {
    const model = new BoardModel();
    feed(model, person('100', 'Anna Berg'));
    feed(model, state(ORG, 'desk-1', true, '100'));
    expect(model.row(ORG, '100')?.online).toBeNull();
    feed(model, assign(ORG, 'desk-1', '100'));
    expect(model.row(ORG, '100')?.online).toBe(true);
    feed(model, assign(ORG, 'desk-1', null)); // retired
    expect(model.row(ORG, '100')?.online).toBeNull();
    expect(model.stats.deviceRefused).toBe(0);
  });

  it("the row carries each desk's agent and firmware version while it reports them, each pair once", () => {
    const model = new BoardModel();
    feed(model, person('100', 'Anna Berg'));
    const birth = (deviceId: string, agent: string, firmware?: string): Message => ({
      kind: 'device-state',
      org: ORG,
      deviceId,
      body: {
        v: 1,
        online: true,
        ext: '100',
        agent,
        ...(firmware ? { panel: { hardwareId: 'p', model: 'm', keys: 12, leds: 12, firmware } } : {}),
      },
    });
    for (const id of ['desk-1', 'desk-2', 'desk-3']) feed(model, assign(ORG, id, '100'));
    expect(model.row(ORG, '100')?.deviceVersions).toBeNull();
    // mid-upgrade: one desk on the previous release, two on this one
    const changed = feed(model, birth('desk-1', '0.1.0', '1.0.0'));
    feed(model, birth('desk-2', '0.2.0'));
    feed(model, birth('desk-3', '0.2.0'));
    expect(changed).toBe(true);
    expect(model.row(ORG, '100')?.deviceVersions).toEqual([
      { agent: '0.1.0', firmware: '1.0.0' },
      { agent: '0.2.0', firmware: null },
    ]);
    // a will without a version (0.1.0's): only what the other desks report stays
    feed(model, state(ORG, 'desk-1', false));
    expect(model.row(ORG, '100')?.deviceVersions).toEqual([{ agent: '0.2.0', firmware: null }]);
  });
});
