// The dialog-info parser (RFC 4235) with fast-check: any valid document, written the ways notifiers
// write it (namespace prefixes, the optional elements and attributes, `<state>` with its event and
// code), parses to its dialogs, and so to the line they imply; no byte string throws out of it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIALOG_STATES, type DialogEntry, type DialogInfo, lineOf, parseDialogInfo } from './dialog-info.js';

const xml = (s: string) =>
  s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string);

const token = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.@_+<>&-]{0,30}$/);
const dialog: fc.Arbitrary<DialogEntry> = fc.record(
  {
    id: token,
    callId: token,
    direction: fc.constantFrom('initiator' as const, 'recipient' as const),
    state: fc.constantFrom(...DIALOG_STATES),
  },
  { requiredKeys: ['id', 'state'] },
);
const info: fc.Arbitrary<DialogInfo> = fc.record({
  version: fc.nat({ max: 1_000_000 }),
  state: fc.constantFrom('full' as const, 'partial' as const),
  entity: fc.stringMatching(/^sip:[0-9]{1,6}@[a-z0-9.]{1,20}$/),
  dialogs: fc.uniqueArray(dialog, { selector: (d) => d.id, maxLength: 5 }),
});

/** How a notifier may write it: prefixed or default namespace, with or without the optional parts. */
const style = fc.record({
  prefix: fc.constantFrom('', 'd:'),
  extras: fc.boolean(),
  stateEvent: fc.boolean(),
  // Kamailio 5.6 writes "Trying" for the caller's side
  capital: fc.boolean(),
});

function render(
  doc: DialogInfo,
  s: { prefix: string; extras: boolean; stateEvent: boolean; capital: boolean },
): string {
  const p = s.prefix;
  const ns = p ? `xmlns:${p.slice(0, -1)}` : 'xmlns';
  const dialogs = doc.dialogs.map((d) => {
    const attrs = [
      `id="${xml(d.id)}"`,
      d.callId !== undefined ? `call-id="${xml(d.callId)}"` : '',
      s.extras ? 'local-tag="a1" remote-tag="b2"' : '',
      d.direction ? `direction="${d.direction}"` : '',
    ].join(' ');
    const state = s.stateEvent && d.state === 'terminated' ? ` event="rejected" code="486"` : '';
    const party = s.extras
      ? `<${p}local><${p}identity display="Anna">${xml(doc.entity)}</${p}identity><${p}target uri="${xml(doc.entity)}"/></${p}local>`
      : '';
    return `<${p}dialog ${attrs}>\n  <${p}state${state}>${s.capital ? d.state[0]?.toUpperCase() + d.state.slice(1) : d.state}</${p}state>${s.extras ? `<${p}duration>12</${p}duration>` : ''}${party}</${p}dialog>`;
  });
  return `<?xml version="1.0"?>\n<${p}dialog-info ${ns}="urn:ietf:params:xml:ns:dialog-info" version="${doc.version}" state="${doc.state}" entity="${xml(doc.entity)}">\n${dialogs.join('\n')}\n</${p}dialog-info>`;
}

describe('dialog-info parser', () => {
  it('parses any valid document to its dialogs, and so to the line they imply', () => {
    fc.assert(
      fc.property(info, style, (doc, s) => {
        const parsed = parseDialogInfo(render(doc, s));
        expect(parsed).toEqual({ ok: true, info: doc });
        if (parsed.ok) expect(lineOf(parsed.info.dialogs)).toBe(lineOf(doc.dialogs));
      }),
    );
  });

  it('never throws on any byte string, nor on a valid document cut short or with a byte changed', () => {
    const valid = fc.tuple(info, style).map(([doc, s]) => render(doc, s));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('utf8')),
          fc.string({ maxLength: 300 }),
          valid.chain((t) => fc.nat(t.length).map((n) => t.slice(0, n))),
          valid.chain((t) =>
            fc
              .tuple(fc.nat(t.length - 1), fc.string({ minLength: 1, maxLength: 1 }))
              .map(([i, c]) => t.slice(0, i) + c + t.slice(i + 1)),
          ),
        ),
        (text) => {
          const parsed = parseDialogInfo(text);
          if (!parsed.ok) expect(parsed.error).toMatch(/\S/);
        },
      ),
    );
  });

  it('reads what Kamailio (pua_dialoginfo + presence_dialoginfo) sent in a real call', () => {
    // the body of a NOTIFY the integration test's Kamailio 5.6 sent while 4711's phone rang
    const body = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="2" state="full" entity="sip:4711@127.0.0.1">
  <dialog id="padi-6b168d79-3f16-1" call-id="a96c66dc246acd88" local-tag="fe2d64b4bd9efd33" remote-tag="7879d4363cb3d88d" direction="recipient">
    <state>early</state>
    <remote>
      <identity>sip:9000@127.0.0.1:59191</identity>
      <target uri="sip:9000-0x5647675f3a70@127.0.0.1:41301"/>
    </remote>
    <local>
      <identity>sip:4711@127.0.0.1:59191;transport=udp</identity>
      <target uri="sip:4711-0x55899f427a70@127.0.0.1:53151"/>
    </local>
  </dialog>
</dialog-info>`;
    const parsed = parseDialogInfo(body);
    expect(parsed).toEqual({
      ok: true,
      info: {
        version: 2,
        state: 'full',
        entity: 'sip:4711@127.0.0.1',
        dialogs: [
          { id: 'padi-6b168d79-3f16-1', callId: 'a96c66dc246acd88', direction: 'recipient', state: 'early' },
        ],
      },
    });
    if (parsed.ok) expect(lineOf(parsed.info.dialogs)).toBe('ringing');
  });

  it('says what is wrong with a document it refuses', () => {
    const doc = (inner: string, attrs = 'version="1" state="full" entity="sip:1@x"') =>
      parseDialogInfo(
        `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" ${attrs}>${inner}</dialog-info>`,
      );
    expect(parseDialogInfo('<dialog-info')).toMatchObject({ ok: false, error: /^not XML/ });
    expect(parseDialogInfo('<presence/>')).toEqual({ ok: false, error: 'no <dialog-info> root element' });
    expect(doc('', 'state="full" entity="sip:1@x"')).toMatchObject({ ok: false, error: /version/ });
    expect(doc('', 'version="1" state="some" entity="sip:1@x"')).toMatchObject({ ok: false, error: /state/ });
    expect(doc('<dialog id="a"><state>ringing</state></dialog>')).toMatchObject({
      ok: false,
      error: /state "ringing" is none of trying/,
    });
    expect(doc('<dialog><state>early</state></dialog>')).toMatchObject({ ok: false, error: /no id/ });
  });
});

describe('the line from the dialogs', () => {
  const d = (state: DialogEntry['state'], direction?: DialogEntry['direction']): DialogEntry => ({
    id: `${state}-${direction}`,
    state,
    ...(direction ? { direction } : {}),
  });
  it('in a call wins over ringing, ringing over dialling out; terminated counts for nothing', () => {
    expect(lineOf([])).toBe('idle');
    expect(lineOf([d('terminated', 'recipient')])).toBe('idle');
    expect(lineOf([d('early', 'recipient')])).toBe('ringing');
    expect(lineOf([d('trying')])).toBe('ringing');
    expect(lineOf([d('early', 'initiator')])).toBe('in-call');
    expect(lineOf([d('early', 'initiator'), d('early', 'recipient')])).toBe('ringing');
    expect(lineOf([d('early', 'recipient'), d('confirmed', 'initiator')])).toBe('in-call');
  });
});
