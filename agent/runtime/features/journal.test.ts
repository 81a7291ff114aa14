// The journal is written once the key press has left: mqtt.js corks the socket and writes a publish at
// the next tick, so the journal's fsyncs must come after that, in the same turn's check phase.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../events/bus.js';
import type { Presence } from '../../../protocol/index.js';
import { initialPresence } from '../../../rules/referral.js';
import type { AgentContext } from '../context.js';
import type { AgentEvents } from '../desk-events.js';
import { readJournal } from '../journal.js';
import { journalFeature } from './journal.js';

const NOW = new Date(Date.UTC(2026, 11, 7, 9, 0));
const presence = (seq: number): Presence => ({
  ...initialPresence(NOW, { kind: 'desk', id: 'desk-1' }),
  seq,
});
const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));
const checkPhase = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('journal feature', () => {
  let dir: string;
  let path: string;
  let sync: { presence: Presence | undefined; pending: boolean };
  let bus: EventBus<AgentEvents>;
  const errors: string[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-journal-'));
    path = join(dir, 'journal.json');
    sync = { presence: presence(1), pending: true };
    bus = new EventBus<AgentEvents>();
    errors.length = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const feature = () =>
    journalFeature({
      config: { journalPath: path },
      desk: { settings: { ext: '4711' }, lastConfig: undefined },
      sync,
      bus,
      log: { error: (message: string) => errors.push(message) },
    } as unknown as AgentContext);

  it('writes after the next tick (when mqtt.js puts the publish on the socket), in the same turn', async () => {
    const journal = feature();
    journal.start();
    bus.emit('persist', undefined);
    await nextTick();
    expect(existsSync(path)).toBe(false);
    await checkPhase();
    expect(readJournal(path)).toEqual({
      kind: 'ok',
      entry: { v: 1, ext: '4711', presence: presence(1), pending: true },
    });
    await journal.stop();
  });

  it('several changes in one turn are one write of the latest state', async () => {
    const journal = feature();
    journal.start();
    bus.emit('persist', undefined);
    sync.presence = presence(2);
    sync.pending = false;
    bus.emit('persist', undefined);
    await checkPhase();
    const load = readJournal(path);
    expect(load.kind === 'ok' && load.entry.presence?.seq).toBe(2);
    expect(load.kind === 'ok' && load.entry.pending).toBe(false);
    await journal.stop();
  });

  it('stopping writes what is still waiting', async () => {
    const journal = feature();
    journal.start();
    bus.emit('persist', undefined);
    await journal.stop();
    const load = readJournal(path);
    expect(load.kind === 'ok' && load.entry.presence?.seq).toBe(1);
    expect(errors).toEqual([]);
  });
});
