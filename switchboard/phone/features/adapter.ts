// The phone system behind the port: opened once the broker is first reached and subscribed (so what it
// reports can be published, and the retained referrals are on their way to it), its reports put on the
// phone bus for the other features, its bad input counted and logged, closed when the bridge stops.
import type { Feature } from '../../../events/feature.js';
import type { BridgeContext } from '../bridge-context.js';
import type { PhoneListener } from '../port.js';

export interface AdapterFeature extends Feature {
  /** resolves once the adapter runs (the phone system may still be unreachable) */
  opened: Promise<void>;
}

/** `route`: where a call rings, for the phone systems that ask (features/routing.ts) */
export function adapterFeature(ctx: BridgeContext, route?: PhoneListener['route']): AdapterFeature {
  const { phoneBus, phone } = ctx;
  const listener: PhoneListener = {
    queue: (snapshot) => phoneBus.emit('snapshot', snapshot),
    call: (event) => phoneBus.emit('call', event),
    voicemail: (ext, count) => phoneBus.emit('voicemail', { ext, count }),
    line: (ext, state, at) => phoneBus.emit('line', { ext, state, at }),
    extCall: (event) => phoneBus.emit('extCall', event),
    link: (up, detail) => phoneBus.emit('reachable', { up, ...(detail ? { detail } : {}) }),
    fault: (error) => {
      ctx.stats.faults++;
      ctx.log.warn('bad input from the phone system', { error: error.message });
    },
    ...(route ? { route } : {}),
  };
  let opening: Promise<void> | undefined;
  let stopped = false;
  return {
    opened: ctx.session.ready.then(() => {
      if (!stopped) opening = phone.open(listener);
      return opening;
    }),
    start() {},
    async stop() {
      stopped = true;
      // one still opening is closed once it runs; one that failed to open has nothing to close
      await opening?.then(
        () => phone.close(),
        () => {},
      );
    },
  };
}
