// The nudge for staff without a panel (Grästorp/Essunga: "om frånvarotiden inte går att hålla, gör en
// förlängning omedelbart"): at rules/nudge.ts' instant the person gets a Web Push notification on the
// staff page (each of their subscriptions) with an "extend" action, or, with no subscription and no
// desk (a desk's reason lamp nudges by itself), an e-mail with an extend link. Each referral is nudged
// once (the state file remembers it across restarts); one tap extends it by the organisation's step,
// the same change as the reason key pressed again, published as the notifier acting for the person.
import { type Feature, listening } from '../../../events/feature.js';
import { findReason, type Presence } from '../../../protocol/index.js';
import { nudgeAt, nudgeKey } from '../../../rules/nudge.js';
import { applyAction } from '../../../rules/referral.js';
import { linkFor, type NotifyContext } from '../context.js';
import { nudgeEmail, nudgePush } from '../letters.js';
import type { LinkClaim } from '../links.js';
import type { PushSender, PushSubscription } from '../push.js';

export interface Nudges extends Feature {
  /** the extend link's question, or undefined when the referral it was for is over or changed */
  ask(claim: LinkClaim): { question: string; button: string } | undefined;
  /** extends the referral the link was for by the organisation's step; false when it changed meanwhile */
  extend(claim: LinkClaim): Promise<boolean>;
  subscribe(ext: string, subscription: PushSubscription): void;
  publicKey: string | undefined;
}

const NOTIFIER = { kind: 'switchboard' as const, id: 'notify' };

export function nudgesFeature(
  ctx: NotifyContext,
  push: PushSender | undefined,
  texts: (step: number) => { question: string; button: string },
): Nudges {
  const { directory, state, clock, log, org, session } = ctx;
  const timers = new Map<string, unknown>();

  const nudge = async (ext: string, p: Presence) => {
    state.setNudged(ext, nudgeKey(p));
    const policy = directory.policy();
    const language = directory.language();
    const until = new Date(p.until as string);
    const link = linkFor(ctx, 'extend', { do: 'extend', org, ext, id: nudgeKey(p) });
    const reason = findReason(p.reason ?? '', policy.reasons)?.labels[language] ?? p.reason ?? '';
    const input = { reason, until, step: policy.stepMinutes, language, timeZone: policy.timeZone };
    const subscriptions = push ? state.pushSubscriptions(ext) : [];
    if (push && subscriptions.length > 0) {
      const text = nudgePush(input);
      const url = new URL(link);
      const payload = {
        type: 'nudge',
        title: text.title,
        body: text.body,
        until: p.until,
        // the staff page's service worker POSTs `t` to `url` when the action is tapped (docs/notify.md)
        extend: { label: text.action, url: `${url.origin}${url.pathname}`, t: url.searchParams.get('t') },
      };
      const ttl = Math.max(60, Math.round((until.getTime() - clock.now()) / 1000));
      for (const subscription of subscriptions) {
        const { outcome, status } = await push.send(subscription, payload, ttl);
        if (outcome === 'gone') state.dropPushSubscription(ext, subscription.endpoint);
        log[outcome === 'failed' ? 'warn' : 'info']('nudge pushed', { ext, outcome, status });
      }
      return;
    }
    const email = directory.people.get(ext)?.email;
    const mailer = ctx.mailers.email;
    if (directory.hasDesk(ext) || !email || !mailer) return;
    const name = directory.people.get(ext)?.name ?? ext;
    try {
      await mailer.send(nudgeEmail(email, { ...input, name, link }));
      log.info('nudge mailed', { ext });
    } catch (e) {
      // no retry: a nudge that comes late is no nudge
      log.warn('nudge not mailed', { ext, error: (e as Error).message });
    }
  };

  const plan = (ext: string) => {
    clock.clearTimeout(timers.get(ext));
    timers.delete(ext);
    const p = directory.presences.get(ext);
    const at = p && nudgeAt(p, directory.policy());
    if (!p || !at || state.nudged(ext) === nudgeKey(p)) return;
    if (clock.now() >= Date.parse(p.until as string)) return;
    const go = () => {
      timers.delete(ext);
      nudge(ext, p).catch((e: unknown) => log.error('nudge failed', { ext, error: (e as Error).message }));
    };
    const wait = at.getTime() - clock.now();
    if (wait <= 0) go();
    else timers.set(ext, clock.setTimeout(go, wait));
  };
  let settled = false;
  const planAll = () => {
    for (const ext of directory.presences.keys()) plan(ext);
  };

  const feature = listening(
    session.bus,
    {
      presence: ({ message }) => {
        if (settled) plan(message.ext);
      },
      'directory-org': () => {
        if (settled) planAll();
      },
      settled: () => {
        settled = true;
        planAll();
      },
    },
    () => {
      for (const t of timers.values()) clock.clearTimeout(t);
      timers.clear();
    },
  );

  const current = (claim: LinkClaim) => {
    const p = directory.presences.get(claim.ext);
    return p && p.status === 'away' && nudgeKey(p) === claim.id ? p : undefined;
  };

  return {
    ...feature,
    publicKey: push?.publicKey,
    ask: (claim) => (current(claim) ? texts(directory.policy().stepMinutes) : undefined),
    async extend(claim) {
      const p = current(claim);
      if (!p) return false;
      const policy = directory.policy();
      const now = new Date(clock.now());
      const next = applyAction(
        p,
        { type: 'extend', minutes: policy.stepMinutes },
        { now, policy, actor: NOTIFIER },
      );
      directory.adoptPresence(claim.ext, next);
      await session.publish({ kind: 'presence', org, ext: claim.ext, body: next });
      log.info('referral extended from the nudge', { ext: claim.ext, until: next.until });
      return true;
    },
    subscribe: (ext, subscription) => state.addPushSubscription(ext, subscription),
  };
}
