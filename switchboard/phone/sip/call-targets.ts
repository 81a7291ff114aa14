// Where the redirect server (redirect.ts) sent each call, by Call-ID. A PBX publishes a call's dialog
// state under the extension that was dialled (Kamailio's pua_dialoginfo fixes its publish URIs when
// the dialog is created, before the bridge has decided, and dlg_manage may run in the request route
// only), so a call the bridge diverted (a forward, the switchboard after a referral, a busy desk or a
// ring-out) would show as the dialled person's call. The line watcher (dialogs.ts) asks here whose
// call a dialog really is: the phone the call was last sent to. docs/phone.md, "Lines and answered calls".

import { setBounded } from '../../bounded-map.js';

/** Calls remembered: a busy day's at a large municipality (the routing feature keeps as many). */
const REMEMBERED = 20_000;

export interface CallTarget {
  /** the extension dialled */
  called: string;
  /** where the call rings now */
  target: string;
  /** when the bridge sent it there (ms) */
  at: number;
}

export interface CallTargets {
  sent(call: string, called: string, target: string, at: number): void;
  /** the call's target when a dialog published under `ext` belongs to another phone; else undefined */
  elsewhere(call: string | undefined, ext: string): CallTarget | undefined;
}

export function callTargets(limit = REMEMBERED): CallTargets {
  const calls = new Map<string, CallTarget>();
  return {
    sent(call, called, target, at) {
      // a retransmitted question changes nothing: the phone has rung since the first answer
      const known = calls.get(call);
      if (known?.called === called && known.target === target) return;
      // re-inserted: the Map's first entry stays the least recently routed
      setBounded(calls, call, { called, target, at }, limit);
    },
    elsewhere(call, ext) {
      const known = call === undefined ? undefined : calls.get(call);
      return known && known.called === ext && known.target !== ext ? known : undefined;
    },
  };
}
