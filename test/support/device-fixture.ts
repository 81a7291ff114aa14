// Device messages for board tests: IT's assignment (device/{id}/config) and the device's own state.
import type { Message } from '../../protocol/index.js';

/** IT assigns a desk device to an extension; null clears the config (the device is retired). */
export const assign = (org: string, deviceId: string, ext: string | null): Message => ({
  kind: 'device-config',
  org,
  deviceId,
  body: ext === null ? null : { v: 1, version: 1, ext, layout: { keys: [], leds: [] }, queues: [] },
});

/** The device's birth (with the extension it claims) or will (without). */
export const state = (org: string, deviceId: string, online: boolean, ext?: string): Message => ({
  kind: 'device-state',
  org,
  deviceId,
  body: ext === undefined ? { v: 1, online } : { v: 1, online, ext },
});
