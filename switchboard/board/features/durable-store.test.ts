// The durable store feature on a session that never connects: the board shows its own writes before
// any broker does, republishes them on every subscription, and stops claiming a referral once a newer
// presence is heard.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { createLogger } from '../../../log/logger.js';
import { EXAMPLES } from '../../../protocol/examples.js';
import { encode, type Message, nextSeq } from '../../../protocol/index.js';
import { ContractSession } from '../../../session/contract-session.js';
import { DurableWrites } from '../durable-writes.js';
import { BoardModel } from '../model.js';
import { durableStoreFeature } from './durable-store.js';

const { 'mwi-message': taken, presence } = EXAMPLES;

it('shows the stored writes at start, republishes them on each subscription, and lets a superseded one go', async () => {
  const store = new DurableWrites(join(mkdtempSync(join(tmpdir(), 'board-store-')), 'store.json'));
  store.record(taken);
  store.record(presence);
  const session = new ContractSession({
    url: 'mqtt://127.0.0.1:1',
    clientId: 'durable-store-test',
    filters: [],
    log: createLogger('durable-store-test'),
  });
  const published: Message[] = [];
  vi.spyOn(session, 'publish').mockImplementation(async (message) => {
    published.push(message);
  });
  const model = new BoardModel();
  const feature = durableStoreFeature(session, store, model);

  await feature.start();
  expect(model.row(presence.org, presence.ext)).toMatchObject({ reason: presence.body?.reason, messages: 1 });
  expect(published).toEqual([]);

  session.bus.emit('subscribed', undefined);
  session.bus.emit('subscribed', undefined);
  expect(published.map((m) => m.kind).sort()).toEqual(['mwi-message', 'mwi-message', 'presence', 'presence']);

  const body = presence.body;
  if (!body) throw new Error('example presence has a body');
  const newer = { ...presence, body: { ...body, seq: nextSeq(body.seq) } };
  const { topic, payload } = encode(newer);
  session.bus.emit('message', { topic, payload, retained: true, message: newer });
  expect(store.messages()).toEqual([taken]);

  await feature.stop();
  session.bus.emit('subscribed', undefined);
  expect(published).toHaveLength(4);
});
