// The notifier's delivery of a phone message on the person's row (mwi/{ext}/delivery/{id}): how many
// of their messages have a channel not yet sent, for the operator to phone instead.
import { describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/index.js';
import { feed } from '../../test/support/board-feed.js';
import { BoardModel } from './model.js';

const ORG = 'demo';
const AT = '2026-11-23T10:00:00.000Z';

const person = (ext: string, name: string): Message => ({
  kind: 'directory-person',
  org: ORG,
  ext,
  body: { v: 1, name, department: 'social' },
});

describe('phone messages not delivered (mwi/{ext}/delivery/{id}, the notifier)', () => {
  const delivery = (id: string, body: Extract<Message, { kind: 'mwi-delivery' }>['body']): Message => ({
    kind: 'mwi-delivery',
    org: ORG,
    ext: '4711',
    messageId: id,
    body,
  });
  const attempt = (state: 'sent' | 'retrying' | 'failed') => ({ state, attempts: 1, at: AT });

  it('counts a message while any channel is not sent, and forgets it when sent or cleared', () => {
    const model = new BoardModel();
    // nobody on the extension yet: nothing to show it on
    expect(feed(model, delivery('m1', { v: 1, email: attempt('retrying') }))).toBe(false);
    feed(model, person('4711', 'Anna'));
    expect(feed(model, delivery('m1', { v: 1, email: attempt('sent'), sms: attempt('failed') }))).toBe(true);
    expect(feed(model, delivery('m2', { v: 1, email: attempt('retrying') }))).toBe(true);
    expect(model.row(ORG, '4711')?.undelivered).toBe(2);
    // the same again changes nothing
    expect(feed(model, delivery('m2', { v: 1, email: attempt('failed') }))).toBe(false);
    expect(feed(model, delivery('m2', { v: 1, email: attempt('sent') }))).toBe(true);
    expect(feed(model, delivery('m1', null))).toBe(true);
    expect(model.row(ORG, '4711')?.undelivered).toBe(0);
  });
});
