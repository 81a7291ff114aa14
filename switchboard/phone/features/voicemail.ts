// voicemail/{ext}: the count the phone system reports per extension, stale (the last known count, not
// zero) while the phone link is not up, and all of them again on every connect. After a restart the
// bridge's own retained counts seed the extensions it has not heard of yet.
import type { Feature } from '../../../events/feature.js';
import { type BridgeContext, hearing, phoneDown, publish } from '../bridge-context.js';

export function voicemailFeature(ctx: BridgeContext): Feature {
  const { org } = ctx;
  const counts = new Map<string, number>();
  const say = (ext: string) => {
    const count = counts.get(ext) ?? 0;
    const body = ctx.link.current.up ? { v: 1 as const, count } : { v: 1 as const, count, stale: true };
    publish(ctx, { kind: 'voicemail', org, ext, body });
  };
  const sayAll = () => {
    for (const ext of counts.keys()) say(ext);
  };

  return hearing(ctx, {
    broker: {
      subscribed: sayAll,
      voicemail: ({ message: m }) => {
        if (!m.body || counts.has(m.ext)) return;
        counts.set(m.ext, m.body.count);
        if (phoneDown(ctx)) say(m.ext);
      },
    },
    phone: {
      voicemail: ({ ext, count }) => {
        counts.set(ext, count);
        say(ext);
      },
      linkChanged: ({ up }) => {
        if (!up) sayAll();
      },
    },
  });
}
