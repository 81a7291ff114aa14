// What a desk says about itself on device/{id}/state: its agent version in every state, the will and
// the orderly goodbye included, so that `hanvisa devices list` and the board show which desks an
// upgrade has yet to reach even while they are off.
import { describe, expect, it } from 'vitest';
import { AGENT_VERSION, deviceStateMessage, deviceWill } from './device-state.js';

const facts = { ext: '4711', configVersion: 3, panel: undefined, panelConnected: false };
const body = (e: { payload: Buffer | Uint8Array | string }) => JSON.parse(e.payload.toString());

describe('device state', () => {
  it('carries the agent version online, in the goodbye and in the will', () => {
    expect(body(deviceStateMessage('acme', 'desk-1', new Date(0), true, facts))).toMatchObject({
      online: true,
      agent: AGENT_VERSION,
      configVersion: 3,
    });
    expect(body(deviceStateMessage('acme', 'desk-1', new Date(0), false, facts))).toEqual({
      v: 1,
      online: false,
      at: '1970-01-01T00:00:00.000Z',
      ext: '4711',
      agent: AGENT_VERSION,
    });
    expect(body(deviceWill('acme', 'desk-1'))).toEqual({ v: 1, online: false, agent: AGENT_VERSION });
  });
});
