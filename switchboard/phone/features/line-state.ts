// line/{ext}: whether each person's phone is idle, ringing or in a call, from the phone system's own
// word (the SIP adapter's dialog subscriptions). The bridge asks it to watch every extension it hears
// of: the directory's people and anyone with a referral. Each change is published once and all of them
// again on every connect; after a restart the bridge's own retained values stand until the phone system
// tells the line afresh (its first NOTIFY of each subscription is the full state).
import type { Feature } from '../../../events/feature.js';
import type { LineState } from '../../../protocol/index.js';
import { type BridgeContext, hearing, iso, publish } from '../bridge-context.js';

export function lineStateFeature(ctx: BridgeContext): Feature {
  const { org, phone } = ctx;
  const lines = new Map<string, LineState>();
  const watched = new Set<string>();
  const say = (ext: string) => {
    const body = lines.get(ext);
    if (body) publish(ctx, { kind: 'line', org, ext, body });
  };
  const watch = (ext: string) => {
    if (watched.has(ext)) return;
    watched.add(ext);
    phone.watchLine?.(ext);
  };
  return hearing(ctx, {
    broker: {
      subscribed: () => {
        for (const ext of lines.keys()) say(ext);
      },
      'directory-person': ({ message: m }) => {
        if (m.body) watch(m.ext);
      },
      presence: ({ message: m }) => {
        if (m.body) watch(m.ext);
      },
      line: ({ message: m }) => {
        if (m.body && !lines.has(m.ext)) lines.set(m.ext, m.body);
      },
    },
    phone: {
      line: ({ ext, state, at }) => {
        if (lines.get(ext)?.state === state) return;
        lines.set(ext, { v: 1, state, since: iso(at) });
        say(ext);
      },
    },
  });
}
