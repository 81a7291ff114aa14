// The GPIO and Stream Deck drivers' native modules (node-libgpiod, @napi-rs/canvas, the Stream Deck
// library with node-hid) load only when that driver is chosen: an agent on another driver never has them
// in memory (the agent's RSS budget, docs/agent.md).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const loaded = (part: string) =>
  Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes(part));

describe('GPIO and Stream Deck drivers load on demand', () => {
  it('the agent CLI and the driver registry load none of their libraries', async () => {
    await import('./command.js');
    await import('./drivers.js');
    await import('./runtime/agent.js');
    for (const part of ['/node-libgpiod/', '/@napi-rs/canvas', '/@elgato-stream-deck/', '/node-hid/'])
      expect(loaded(part)).toEqual([]);
  });
});
