// The board's store of its own writes: a file that survives a restart, refuses bad entries, and lets
// go of an operator's referral once a newer presence supersedes it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../protocol/examples.js';
import { encode, nextSeq } from '../../protocol/index.js';
import { DurableWrites } from './durable-writes.js';

const fileIn = () => join(mkdtempSync(join(tmpdir(), 'board-store-')), 'store.json');
const { mwi, presence } = EXAMPLES;

describe('DurableWrites', () => {
  it('keeps what was recorded across a restart, newest per topic', () => {
    const file = fileIn();
    const store = new DurableWrites(file);
    store.record(mwi);
    store.record(presence);
    store.record({ ...mwi, body: { v: 1, messages: [] } });
    const again = new DurableWrites(file).messages();
    expect(again).toHaveLength(2);
    expect(again.find((m) => m.kind === 'mwi')?.body).toEqual({ v: 1, messages: [] });
    expect(again.find((m) => m.kind === 'presence')?.body).toEqual(presence.body);
  });

  it('undoes a write the broker refused', () => {
    const file = fileIn();
    const store = new DurableWrites(file);
    store.record(mwi)();
    expect(new DurableWrites(file).messages()).toEqual([]);
  });

  it('drops a referral once a newer presence is heard, keeps it for an older one', () => {
    const file = fileIn();
    const store = new DurableWrites(file);
    store.record(presence);
    const body = presence.body;
    if (!body) throw new Error('example presence has a body');
    const older = { ...presence, body: { ...body, seq: 0, by: { kind: 'calendar' as const, id: 'x' } } };
    store.heard(encode(older).topic, older);
    expect(new DurableWrites(file).messages()).toHaveLength(1);
    const newer = { ...presence, body: { ...body, seq: nextSeq(body.seq) } };
    store.heard(encode(newer).topic, newer);
    expect(new DurableWrites(file).messages()).toEqual([]);
  });

  it('refuses a store that is not JSON with a clear error, and skips entries the contract refuses', () => {
    const file = fileIn();
    writeFileSync(file, 'nope');
    expect(() => new DurableWrites(file)).toThrow(/not JSON/);
    writeFileSync(file, JSON.stringify({ v: 1, writes: { 'hanvisa/v1/demo/mwi/2101': '{"v":9}' } }));
    expect(new DurableWrites(file).messages()).toEqual([]);
    expect(readFileSync(file, 'utf8')).toContain('v');
  });
});
