// The phone system behind the port: opened once the broker is first reached and subscribed (so what it
// reports can be published, and the retained referrals are on their way to it), its reports put on the
// phone bus for the other features, its bad input counted and logged, closed when the bridge stops.
import { type Feature, listening } from '../../../events/feature.js';
import type { BridgeContext } from '../bridge-context.js';
import type { PhoneListener } from '../port.js';

export interface AdapterFeature extends Feature {
  /** resolves once the adapter runs (the phone system may still be unreachable) */
  opened: Promise<void>;
}

export function adapterFeature(ctx: BridgeContext): AdapterFeature {
  const { phoneBus, phone } = ctx;
  const listener: PhoneListener = {
    queue: (snapshot) => phoneBus.emit('snapshot', snapshot),
    call: (event) => phoneBus.emit('call', event),
    voicemail: (ext, count) => phoneBus.emit('voicemail', { ext, count }),
    link: (up, detail) => phoneBus.emit('reachable', { up, ...(detail ? { detail } : {}) }),
    fault: (error) => {
      ctx.stats.faults++;
      ctx.log.warn('bad input from the phone system', { error: error.message });
    },
  };
  let opening: Promise<void> | undefined;
  let settle: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  const opened = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const feature = listening(
    ctx.session.bus,
    {
      subscribed: () => {
        if (opening) return;
        opening = phone.open(listener);
        opening.then(settle?.resolve, settle?.reject);
      },
    },
    // one still opening is closed once it runs; one that failed to open has nothing to close
    () =>
      opening?.then(
        () => phone.close(),
        () => {},
      ),
  );
  return { ...feature, opened };
}
