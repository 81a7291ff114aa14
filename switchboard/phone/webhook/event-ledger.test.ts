import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventLedger } from './event-ledger.js';

const KEEP = 600_000;
const voicemail = (id: string, at: number) => ({
  id,
  at,
  state: { kind: 'voicemail' as const, key: '4711' },
});

describe('event ledger', () => {
  let dir: string;
  let file: string;
  let clock: number;
  const open = () => openEventLedger({ file, keepMs: KEEP, now: () => clock });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hanvisa-ledger-'));
    file = join(dir, 'ledger.json');
    clock = 1_000_000_000;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps ids for the time given and the newest value per extension for good, across a reopen', () => {
    open().record(voicemail('a', 500));
    expect(open().judge(voicemail('a', 500))).toBe('duplicate');
    expect(open().judge(voicemail('b', 499))).toBe('superseded');
    expect(open().judge(voicemail('b', 500))).toBe('new');
    expect(open().judge({ id: 'c', at: 1, state: { kind: 'queues', key: '4711' } })).toBe('new');

    clock += KEEP + 1;
    const later = open();
    expect(later.judge(voicemail('a', 501))).toBe('new');
    later.record({ id: 'h', at: 600 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      v: 1,
      seen: { h: clock },
      queues: {},
      voicemail: { '4711': 500 },
    });
  });

  it('remembers nothing of an event it could not save', () => {
    const ledger = open();
    // the temp file it writes first cannot be made: a folder has its name
    mkdirSync(join(dir, `.ledger.json.${process.pid}.tmp`));
    expect(() => ledger.record(voicemail('a', 500))).toThrow();
    expect(ledger.judge(voicemail('a', 500))).toBe('new');
    expect(ledger.judge(voicemail('b', 1))).toBe('new');
  });

  it('refuses a file that is not a ledger, naming it', () => {
    writeFileSync(file, '{"v":1,"seen":{}}');
    expect(open).toThrow(`the webhook's event ledger ${file}: queues`);
    writeFileSync(file, 'nonsense');
    expect(open).toThrow(/is not JSON .*fix or remove it/);
  });
});
