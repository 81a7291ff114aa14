import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Request } from './endpoint.js';
import { formatMessage, parseMessage } from './message.js';
import { answerInvite, callQuery, redirect, uriUser } from './redirect.js';

const invite = (lines: string[], uri = 'sip:4711@pbx.grastorp.se'): Request =>
  parseMessage(
    [
      `INVITE ${uri} SIP/2.0`,
      'Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKabc',
      'From: "Anna" <sip:1000@pbx.grastorp.se>;tag=1',
      'To: <sip:4711@pbx.grastorp.se>',
      'Call-ID: a84b4c76e66710@10.0.0.5',
      'CSeq: 1 INVITE',
      ...lines,
      '',
      '',
    ].join('\r\n'),
  ) as Request;

describe('the redirect server', () => {
  it('reads who is called, by whom, a transfer and a second question', () => {
    expect(callQuery(invite([]))).toEqual({
      call: 'a84b4c76e66710@10.0.0.5',
      called: '4711',
      from: '1000',
      referred: false,
    });
    expect(callQuery(invite(['Referred-By: <sip:9000@pbx>', 'Hanvisa-Outcome: busy']))).toMatchObject({
      referred: true,
      outcome: 'busy',
    });
    expect(uriUser('"X" <sips:4711@host;user=phone>;tag=1')).toBe('4711');
  });

  it('refuses an INVITE for no extension, or with an outcome it does not know, as a fault', () => {
    const faults: Error[] = [];
    const listener = { fault: (e: Error) => faults.push(e), route: () => ({ target: '9000' }) };
    expect(answerInvite(invite([], 'sip:anna@pbx'), 'pbx', listener).status).toBe(400);
    expect(answerInvite(invite(['Hanvisa-Outcome: maybe']), 'pbx', listener).status).toBe(400);
    expect(faults).toHaveLength(2);
  });

  it('answers 302 with Contact, Diversion, the reason on one line and the ring limit', () => {
    const query = { call: 'c', called: '4711', referred: false };
    const answer = redirect(
      query,
      { target: '9000', diverted: 'away', note: 'Lunch,\r\nInjected: x', ringLimitSeconds: 20 },
      'pbx.grastorp.se',
    );
    expect(answer).toEqual({
      status: 302,
      reason: 'Moved Temporarily',
      headers: [
        ['Contact', '<sip:9000@pbx.grastorp.se>'],
        ['Diversion', '<sip:4711@pbx.grastorp.se>;reason=away;counter=1'],
        ['Hanvisa-Reason', 'Lunch, Injected: x'],
        ['Hanvisa-Ring-Limit', '20'],
      ],
    });
  });

  it('without a decision says 503, so the PBX rings the desk as if there were no hanvisa', () => {
    expect(answerInvite(invite([]), 'pbx', { fault: () => {}, route: () => undefined }).status).toBe(503);
    expect(answerInvite(invite([]), 'pbx', undefined).status).toBe(503);
  });

  it('whatever a referral says, the 302 on the wire carries exactly its headers (no injection)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (note) => {
        const answer = redirect(
          { call: 'c', called: '4711', referred: false },
          { target: '9000', diverted: 'away', note, ringLimitSeconds: 20 },
          'pbx',
        );
        const wire = formatMessage({
          kind: 'response',
          status: answer.status,
          reason: answer.reason,
          headers: new Map((answer.headers ?? []).map(([n, v]) => [n.toLowerCase(), [v]])),
          body: '',
        });
        const parsed = parseMessage(wire);
        const expected = ['contact', 'content-length', 'diversion', 'hanvisa-ring-limit'];
        // an empty note is no header at all
        if (note) expected.push('hanvisa-reason');
        expect([...parsed.headers.keys()].sort()).toEqual(expected.sort());
      }),
    );
  });
});
