// Phone messages delivered (SAMSA §5, Guldborgsund "via telefonen, sms eller via e-post"): each open
// message (mwi/{ext}/msg/{id}, written by the boards) is sent to its person by e-mail and, where the
// organisation configures an SMS gateway, by SMS, with a signed one-click "handled" link. A failed
// attempt is retried with a doubling wait (context.ts) and given up after the configured attempts or at
// once when the server refuses for good; the state file keeps where each delivery stands, so a restart
// neither sends twice nor forgets a retry. How it went is told on mwi/{ext}/delivery/{id} for the board
// ("not delivered"). The letter's text and address are never logged.
import { type Feature, listening } from '../../../events/feature.js';
import type { ChannelDelivery, PhoneMessage } from '../../../protocol/index.js';
import { messageDeadline } from '../../../rules/messages.js';
import { linkFor, type NotifyContext, retryDelay } from '../context.js';
import { messageEmail, messageSms } from '../letters.js';
import { type Channel, DeliveryError } from '../mailer.js';
import type { Delivery } from '../state.js';

export interface Deliveries extends Feature {
  /** the open message `id` of `ext`, if the boards still hold it */
  open(ext: string, id: string): PhoneMessage | undefined;
  /** the person marked it handled (the e-mail's link): the same event a desk key sends; false when not open */
  markHandled(ext: string, id: string): Promise<boolean>;
}

const CHANNELS: readonly Channel[] = ['email', 'sms'];
const keyOf = (ext: string, id: string) => `${ext}/${id}`;

export function deliveriesFeature(ctx: NotifyContext): Deliveries {
  const { session, state, directory, clock, log, org } = ctx;
  const open = new Map<string, { ext: string; message: PhoneMessage }>();
  /** messages heard since the last connect: one not heard again by `settled` was handled meanwhile */
  let heard = new Set<string>();
  let settledOnce = false;
  const timers = new Map<string, unknown>();
  /** attempts under way: a resume after a reconnect must not start a second one (a mail sent twice) */
  const sending = new Set<string>();

  const now = () => clock.now();
  const iso = () => new Date(now()).toISOString();

  const tell = (ext: string, id: string, delivery: Delivery | null) => {
    // a channel not tried yet says nothing: the board shows what is known
    const told: Delivery = {};
    for (const ch of CHANNELS) {
      const d = delivery?.[ch];
      if (d && (d.attempts > 0 || d.state === 'failed')) told[ch] = d;
    }
    const body = delivery && Object.keys(told).length > 0 ? { v: 1 as const, ...told } : null;
    if (!body && delivery) return;
    session
      .publish({ kind: 'mwi-delivery', org, ext, messageId: id, body })
      .catch((e: unknown) =>
        log.warn('delivery status not published', { ext, messageId: id, error: (e as Error).message }),
      );
  };

  const address = (ext: string, channel: Channel) => {
    const person = directory.people.get(ext);
    return channel === 'email' ? person?.email : person?.mobile;
  };

  const schedule = (key: string, channel: Channel, d: ChannelDelivery) => {
    const timer = `${key}|${channel}`;
    clock.clearTimeout(timers.get(timer));
    if (d.state !== 'retrying' || d.next === undefined || sending.has(timer)) return timers.delete(timer);
    const go = () => {
      timers.delete(timer);
      sending.add(timer);
      void attempt(key, channel).finally(() => sending.delete(timer));
    };
    const wait = Date.parse(d.next) - now();
    // due now (a new message, a retry missed while stopped): at once, not after a timer's turn
    if (wait <= 0) go();
    else timers.set(timer, clock.setTimeout(go, wait));
  };

  const attempt = async (key: string, channel: Channel) => {
    const entry = open.get(key);
    const mailer = ctx.mailers[channel];
    const before = state.delivery(key)?.[channel];
    if (!entry || !mailer || !before || before.state !== 'retrying') return;
    const { ext, message } = entry;
    const to = address(ext, channel);
    const attempts = before.attempts + 1;
    let outcome: ChannelDelivery;
    if (!to) {
      // nobody to send to: the directory has no address; the board says "not delivered" at once
      outcome = { state: 'failed', attempts: before.attempts, at: iso() };
      log.warn('phone message not delivered: no address in the directory', {
        ext,
        messageId: message.id,
        channel,
      });
    } else {
      const policy = directory.policy();
      const input = {
        message,
        name: directory.people.get(ext)?.name ?? ext,
        deadline: messageDeadline(message, policy),
        link: linkFor(ctx, 'handled', { do: 'handled', org, ext, id: message.id }),
        language: directory.language(),
        timeZone: policy.timeZone,
      };
      try {
        await mailer.send(channel === 'email' ? messageEmail(to, input) : messageSms(to, input));
        outcome = { state: 'sent', attempts, at: iso() };
        log.info('phone message delivered', {
          ext,
          messageId: message.id,
          channel,
          attempts,
          via: mailer.label,
        });
      } catch (e) {
        const permanent = e instanceof DeliveryError && e.permanent;
        const givenUp = permanent || attempts >= ctx.retry.attempts;
        outcome = givenUp
          ? { state: 'failed', attempts, at: iso() }
          : {
              state: 'retrying',
              attempts,
              at: iso(),
              next: new Date(now() + retryDelay(ctx.retry, attempts)).toISOString(),
            };
        log.warn('phone message delivery failed', {
          ext,
          messageId: message.id,
          channel,
          attempts,
          error: (e as Error).message,
          ...(givenUp ? { givenUp: true } : { next: outcome.next }),
        });
      }
    }
    // handled while the server was working on it: nothing left to tell
    if (!open.has(key)) return;
    const delivery = { ...state.delivery(key), [channel]: outcome };
    state.setDelivery(key, delivery);
    tell(ext, message.id, delivery);
    sending.delete(`${key}|${channel}`);
    schedule(key, channel, outcome);
  };

  /** Starts (or after a restart resumes) the deliveries of an open message. */
  const deliver = (key: string) => {
    let delivery = state.delivery(key);
    if (!delivery) {
      delivery = {};
      for (const ch of CHANNELS)
        if (ctx.mailers[ch]) delivery[ch] = { state: 'retrying', attempts: 0, at: iso(), next: iso() };
      state.setDelivery(key, delivery);
    }
    for (const ch of CHANNELS) {
      const d = delivery[ch];
      if (d) schedule(key, ch, d);
    }
  };

  const gone = (key: string) => {
    const entry = open.get(key);
    open.delete(key);
    for (const ch of CHANNELS) {
      clock.clearTimeout(timers.get(`${key}|${ch}`));
      timers.delete(`${key}|${ch}`);
    }
    if (!state.delivery(key)) return;
    state.setDelivery(key, undefined);
    const [ext, id] = key.split('/') as [string, string];
    tell(entry?.ext ?? ext, entry?.message.id ?? id, null);
  };

  const feature = listening(
    session.bus,
    {
      // from the connect, not the `subscribed` after the last SUBACK: the first filters' retained
      // messages may arrive before the last filter is granted
      status: (status) => {
        if (status === 'online') heard = new Set();
      },
      'mwi-message': ({ message: { ext, messageId, body } }) => {
        const key = keyOf(ext, messageId);
        if (!body) return gone(key);
        heard.add(key);
        if (open.has(key)) return;
        open.set(key, { ext, message: body.message });
        // before the retained burst is over the person may not be in the directory yet
        if (settledOnce) deliver(key);
      },
      settled: () => {
        settledOnce = true;
        // cleared while we were away: a cleared retained topic is not sent again on subscribe
        for (const key of [...open.keys()]) if (!heard.has(key)) gone(key);
        for (const [key] of state.deliveries()) if (!open.has(key)) gone(key);
        for (const key of open.keys()) deliver(key);
        // the authority republishes what it said, so a broker that lost its store heals
        for (const [key, delivery] of state.deliveries()) {
          const entry = open.get(key);
          if (entry) tell(entry.ext, entry.message.id, delivery);
        }
      },
    },
    () => {
      for (const t of timers.values()) clock.clearTimeout(t);
      timers.clear();
    },
  );

  return {
    ...feature,
    open: (ext, id) => open.get(keyOf(ext, id))?.message,
    async markHandled(ext, id) {
      if (!open.has(keyOf(ext, id))) return false;
      await session.publish({
        kind: 'mwi-handled',
        org,
        ext,
        body: { v: 1, id, by: { kind: 'switchboard', id: 'notify' }, at: iso() },
      });
      log.info('message handled from its e-mail link', { ext, messageId: id });
      return true;
    },
  };
}
