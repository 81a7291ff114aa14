// The copy for old desks (`hanvisa board --mwi-copy`, release 0.2.0 only): desk agents built before
// issue 12 read a person's phone messages only from the single mwi/{ext} value, so during the upgrade
// this board keeps there a copy of what the mwi/{ext}/msg/{id} topics hold, marked `copy` so that no
// board converts it back and no reader counts it twice (docs/protocol.md, "Versioning"). Every board
// with the flag writes the same copy from the same topics, and corrects one that differs, so two agree.
import { type Feature, listening } from '../../../events/feature.js';
import { createLogger } from '../../../log/logger.js';
import { encode, type Mwi, type PhoneMessage } from '../../../protocol/index.js';
import type { ContractSession } from '../../../session/contract-session.js';
import type { BoardModel } from '../model.js';

const log = createLogger('board');

/** The copy: null clears it; as many of the newest messages as fit the 64 KiB payload. */
export function copyOf(org: string, ext: string, messages: readonly PhoneMessage[]): Mwi | null {
  for (let from = 0; from < messages.length; from++) {
    const body: Mwi = { v: 1, copy: true, messages: messages.slice(from) };
    try {
      encode({ kind: 'mwi', org, ext, body });
      if (from) log.warn('old desks get only the newest phone messages: all do not fit', { org, ext, from });
      return body;
    } catch {
      // one fewer, the oldest
    }
  }
  return null;
}

export function mwiCopyFeature(session: ContractSession, model: BoardModel): Feature {
  /** org/ext → the messages the broker's copy holds (as JSON), as last heard or written */
  const copies = new Map<string, string>();
  /** an old board's value there, not converted yet: the converter's (legacy-mwi.ts), left alone */
  const unconverted = new Set<string>();
  /** people whose messages the board has heard of since subscribing: checked once the retained burst is in */
  const heard = new Set<string>();
  let settled = false;

  const check = (org: string, ext: string) => {
    const k = `${org}/${ext}`;
    if (unconverted.has(k)) return;
    const body = copyOf(org, ext, model.row(org, ext)?.phoneMessages ?? []);
    // compared as written (trimmed to fit), so its own echo never differs
    const json = JSON.stringify(body?.messages ?? []);
    if ((copies.get(k) ?? '[]') === json) return;
    copies.set(k, json);
    void session.send({ kind: 'mwi', org, ext, body }).then((sent) => {
      // not sent (offline): the retained burst after the next subscribe decides again
      if (!sent) copies.delete(k);
    });
  };
  const hear = (org: string, ext: string) => {
    if (settled) check(org, ext);
    else heard.add(`${org}/${ext}`);
  };

  return listening(session.bus, {
    subscribed: () => {
      // the broker may have lost its store: what it holds comes again in the retained burst
      settled = false;
      copies.clear();
      unconverted.clear();
    },
    'mwi-message': ({ message: { org, ext } }) => hear(org, ext),
    mwi: ({ message: { org, ext, body } }) => {
      const k = `${org}/${ext}`;
      if (body?.messages.length && !body.copy) unconverted.add(k);
      else unconverted.delete(k);
      copies.set(k, JSON.stringify(body?.copy ? body.messages : []));
      hear(org, ext);
    },
    settled: () => {
      settled = true;
      for (const k of heard) {
        const [org = '', ext = ''] = k.split('/');
        check(org, ext);
      }
      heard.clear();
    },
  });
}
