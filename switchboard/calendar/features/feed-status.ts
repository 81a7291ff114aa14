// How reading each person's calendar goes, published on calendar/{ext} for the board: when the feed
// starts or stops failing, or fails for another reason, or the next absence changes; again after a
// reconnect.
import { type Feature, listening } from '../../../events/feature.js';
import { type BridgeContext, type PersonState, statusBody } from '../context.js';

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
    const body = statusBody(state);
    const same =
      last?.ok === body.ok &&
      last.error === body.error &&
      JSON.stringify(last.next) === JSON.stringify(body.next);
    if (!again && same) return;
    if (!session.connected) return;
    told.set(ext, body);
    await session.publish({ kind: 'calendar-status', org: options.org, ext, body });
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
