// How reading each person's calendar goes, published on calendar/{ext} for the board: when the feed
// starts or stops failing, or fails for another reason; again after a reconnect.
import { type Feature, listening } from '../../../events/feature.js';
import type { BridgeContext, PersonState } from '../context.js';

export interface FeedStatus extends Feature {
  /** publishes the person's status if it changed since last told (or always, `again`) */
  tell(state: PersonState, again?: boolean): Promise<void>;
}

export function feedStatusFeature(ctx: BridgeContext): FeedStatus {
  const { session, options } = ctx;
  /** what calendar/{ext} last said */
  const told = new Map<string, PersonState['status']>();

  const tell = async (state: PersonState, again = false) => {
    const ext = state.person.ext;
    const last = told.get(ext);
    if (!again && last && last.ok === state.status.ok && last.error === state.status.error) return;
    if (!session.connected) return;
    told.set(ext, state.status);
    await session.publish({ kind: 'calendar-status', org: options.org, ext, body: state.status });
  };

  const feature = listening(session.bus, {
    subscribed: () => {
      for (const state of ctx.people.values()) {
        if (!told.has(state.person.ext)) continue;
        tell(state, true).catch((e: unknown) =>
          ctx.log.warn('calendar status not published', {
            ext: state.person.ext,
            error: (e as Error).message,
          }),
        );
      }
    },
  });
  return { ...feature, tell };
}
