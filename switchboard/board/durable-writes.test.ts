// The board's store of its own writes: a file that survives a restart, refuses bad entries, and lets
// go of a phone message once handled (here or on another board) and of an operator's referral once a
// newer presence supersedes it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../protocol/examples.js';
import { encode, nextSeq } from '../../protocol/index.js';
import { DurableWrites } from './durable-writes.js';

const fileIn = () => join(mkdtempSync(join(tmpdir(), 'board-store-')), 'store.json');
const { 'mwi-message': taken, presence } = EXAMPLES;
const other: typeof taken = {
  ...taken,
  messageId: 'msg-982',
  body: taken.body && { v: 1, message: { ...taken.body.message, id: 'msg-982' } },
};

describe('DurableWrites', () => {
  it('keeps what was recorded across a restart, each message its own record, until handled', () => {
    const file = fileIn();
    const store = new DurableWrites(file);
    store.record(taken);
    store.record(other);
    store.record(presence);
    store.record({ ...taken, body: null });
    const again = new DurableWrites(file).messages();
    expect(again.map((m) => (m.kind === 'mwi-message' ? m.messageId : m.kind)).sort()).toEqual([
      'msg-982',
      'presence',
    ]);
    expect(again.find((m) => m.kind === 'presence')?.body).toEqual(presence.body);
  });

  it('lets go of a message another board handled (its clear is heard), not of one still open', () => {
    const file = fileIn();
    const store = new DurableWrites(file);
    store.record(taken);
    store.record(other);
    store.heard(encode(other).topic, other);
    store.heard(encode(taken).topic, { ...taken, body: null });
    expect(new DurableWrites(file).messages()).toEqual([other]);
  });

  it('keeps a logout across a restart until its clear (at expiry) is heard', () => {
    const file = fileIn();
    const logout = EXAMPLES['session-revoked'];
    new DurableWrites(file).record(logout);
    const again = new DurableWrites(file);
    expect(again.messages()).toEqual([logout]);
    again.heard(encode(logout).topic, { ...logout, body: null });
    expect(new DurableWrites(file).messages()).toEqual([]);
  });

  it('undoes a write the broker refused', () => {
    const file = fileIn();
    const store = new DurableWrites(file);
    store.record(taken)();
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
