// The phone bridge of one organisation: runs one PhoneSystem adapter and is the authority for
// queue/…, voicemail/…, call/… and phone/link. It republishes everything it owns on every broker
// (re)connect, marks queue and voicemail stale (not zero) while the phone system is unreachable, and
// hands every referral change on presence/… to the adapter.

import { createLogger } from '../../log/logger.js';
import type { BrokerLogin } from '../../mqtt/client.js';
import { createClient, reportConnectionErrors } from '../../mqtt/client.js';
import {
  decode,
  encode,
  filterFor,
  findReason,
  type Message,
  type OrgInfo,
  type PhoneLink,
  type Presence,
  type Queue,
  RejectionCounter,
  topicFor,
} from '../../protocol/index.js';
import { publishMessage } from '../publish.js';
import type { CallEvent, PhoneSystem, QueueSnapshot } from './port.js';

export interface BridgeOptions {
  brokerUrl: string;
  login?: BrokerLogin;
  org: string;
  phone: PhoneSystem;
  /** the queue lamp's alarm threshold per queue, and for the organisation's other queues */
  alarmSeconds?: { default?: number; queues?: Record<string, number> };
  now?: () => number;
}

export interface BridgeStats {
  /** MQTT payloads refused (bad presence, …) */
  rejected: number;
  /** bad input the adapter reported (a malformed NOTIFY, …) */
  faults: number;
  /** call events dropped because their id was seen */
  duplicates: number;
}

export interface Bridge {
  /** resolves once the broker and the adapter run (the phone system may still be unreachable) */
  ready: Promise<void>;
  stats(): BridgeStats;
  stop(): Promise<void>;
}

/** Call-event ids remembered for dropping duplicates: a day's events of a busy contact centre. */
const SEEN_CALL_IDS = 50_000;

export function startBridge(options: BridgeOptions): Bridge {
  const { org, phone } = options;
  const now = options.now ?? Date.now;
  const log = createLogger(`phone:${org}`);
  const rejections = new RejectionCounter(log);
  const iso = (ms: number) => new Date(ms).toISOString();
  const queues = new Map<string, Queue>();
  const voicemail = new Map<string, number>();
  /** what this bridge itself decided; retained values only seed state it has not got yet */
  const own = { queues: new Set<string>(), voicemail: new Set<string>() };
  const forwarded = new Map<string, string>();
  const seenCalls = new Set<string>();
  let orgInfo: OrgInfo | undefined;
  let link: PhoneLink = { v: 1, up: false, since: iso(now()), system: phone.system, detail: 'starting' };
  /** the adapter has reported the link once: until then "down" is only "not known yet" */
  let linkKnown = false;
  let faults = 0;
  let duplicates = 0;

  const willPayload = () =>
    encode({
      kind: 'phone-link',
      org,
      body: { v: 1, up: false, since: iso(now()), system: phone.system, detail: 'phone bridge offline' },
    }).payload;
  const client = createClient({
    url: options.brokerUrl,
    clientId: `hanvisa-phone-${org}-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    reconnectMs: 1000,
    ...options.login,
    will: {
      topic: topicFor({ kind: 'phone-link', org }),
      payload: Buffer.from(willPayload()),
      qos: 1,
      retain: true,
    },
  });
  reportConnectionErrors(client, log);

  const publish = (message: Message) => {
    if (!client.connected) return; // everything is republished on the next connect
    publishMessage(client, message).catch((e) => log.warn('publish failed', { error: (e as Error).message }));
  };
  const publishQueue = (queueId: string) => {
    const body = queues.get(queueId);
    if (body) publish({ kind: 'queue', org, queueId, body });
  };
  const publishVoicemail = (ext: string) => {
    const count = voicemail.get(ext) ?? 0;
    publish({ kind: 'voicemail', org, ext, body: link.up ? { v: 1, count } : { v: 1, count, stale: true } });
  };
  const republishAll = () => {
    publish({ kind: 'phone-link', org, body: link });
    for (const queueId of queues.keys()) publishQueue(queueId);
    for (const ext of voicemail.keys()) publishVoicemail(ext);
  };

  const alarmFor = (queueId: string) =>
    options.alarmSeconds?.queues?.[queueId] ?? options.alarmSeconds?.default;

  const onQueue = (s: QueueSnapshot) => {
    own.queues.add(s.queueId);
    const alarmSeconds = alarmFor(s.queueId);
    const body: Queue = {
      v: 1,
      ...(s.name !== undefined ? { name: s.name } : {}),
      waiting: s.waiting,
      oldestSince: s.oldestSince === null ? null : iso(s.oldestSince),
      at: iso(now()),
      ...(alarmSeconds !== undefined ? { alarmSeconds } : {}),
      ...(s.calls ? { calls: s.calls } : {}),
    };
    queues.set(s.queueId, body);
    publishQueue(s.queueId);
  };

  const onCall = (e: CallEvent) => {
    if (seenCalls.has(e.id)) {
      duplicates++;
      return;
    }
    seenCalls.add(e.id);
    // a Set iterates in insertion order: the first is the oldest
    if (seenCalls.size > SEEN_CALL_IDS) seenCalls.delete(seenCalls.values().next().value as string);
    publish({
      kind: 'call-event',
      org,
      queueId: e.queueId,
      body: {
        v: 1,
        id: e.id,
        call: e.call,
        event: e.event,
        at: iso(e.at),
        ...(e.enteredAt !== undefined ? { enteredAt: iso(e.enteredAt) } : {}),
        ...(e.position !== undefined ? { position: e.position } : {}),
        ...(e.ext !== undefined ? { ext: e.ext } : {}),
      },
    });
  };

  const onLink = (up: boolean, detail?: string) => {
    if (linkKnown && link.up === up) return;
    linkKnown = true;
    link = { v: 1, up, since: iso(now()), system: phone.system, ...(detail ? { detail } : {}) };
    log[up ? 'info' : 'warn'](`phone system link ${up ? 'up' : 'down'}`, detail ? { detail } : {});
    publish({ kind: 'phone-link', org, body: link });
    if (up) return; // the phone system's fresh values replace the stale ones as they arrive
    for (const [queueId, body] of queues) queues.set(queueId, { ...body, stale: true });
    republishAll();
  };

  const forward = (ext: string, presence: Presence) => {
    const key = JSON.stringify(presence);
    if (forwarded.get(ext) === key) return;
    forwarded.set(ext, key);
    const reason = presence.reason ? findReason(presence.reason, orgInfo?.reasons) : undefined;
    const locale = orgInfo?.locale ?? 'sv';
    const label = reason?.labels[locale];
    phone.referralChanged({
      ext,
      presence,
      locale,
      timeZone: orgInfo?.timeZone ?? 'Europe/Stockholm',
      ...(label ? { label } : {}),
      ...(reason?.privacy === 'private' ? { private: true } : {}),
    });
  };

  client.on('message', (topic, payload) => {
    const result = decode(topic, payload);
    if (!result.ok) return rejections.record(result);
    const m = result.message;
    if (m.kind === 'presence' && m.body) forward(m.ext, m.body);
    else if (m.kind === 'directory-org' && m.body) orgInfo = m.body;
    // our own retained values from before a restart: kept so they can be marked stale, until the phone system speaks
    else if (m.kind === 'queue' && m.body && !own.queues.has(m.queueId) && !queues.has(m.queueId)) {
      queues.set(m.queueId, staleWhileDown(m.body));
      if (linkKnown && !link.up) publishQueue(m.queueId);
    } else if (m.kind === 'voicemail' && m.body && !own.voicemail.has(m.ext) && !voicemail.has(m.ext)) {
      voicemail.set(m.ext, m.body.count);
      if (linkKnown && !link.up) publishVoicemail(m.ext);
    }
  });

  const staleWhileDown = (body: Queue): Queue => (linkKnown && !link.up ? { ...body, stale: true } : body);

  let opened = false;
  client.on('connect', () => {
    const filters = ['directory-org', 'presence', 'queue', 'voicemail'] as const;
    client
      .subscribeAsync(
        filters.map((k) => filterFor(k, org)),
        { qos: 1 },
      )
      .catch((e) => log.warn('subscribe failed', { error: (e as Error).message }));
    republishAll();
  });

  const ready = new Promise<void>((resolve, reject) => {
    client.once('connect', () => {
      phone
        .open({
          queue: onQueue,
          call: onCall,
          voicemail: (ext, count) => {
            own.voicemail.add(ext);
            voicemail.set(ext, count);
            publishVoicemail(ext);
          },
          link: onLink,
          fault: (error) => {
            faults++;
            log.warn('bad input from the phone system', { error: error.message });
          },
        })
        .then(() => {
          opened = true;
          resolve();
        }, reject);
    });
  });
  ready.catch((e) => log.error('phone bridge failed to start', { error: (e as Error).message }));

  return {
    ready,
    stats: () => ({ rejected: rejections.total, faults, duplicates }),
    async stop() {
      if (opened) await phone.close();
      // a clean stop says so (the will only fires on a lost connection); not waited for long, since the
      // broker may be stopping at the same moment (npm start's Ctrl-C)
      if (client.connected) {
        const body: PhoneLink = {
          v: 1,
          up: false,
          since: iso(now()),
          system: phone.system,
          detail: 'phone bridge stopped',
        };
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          publishMessage(client, { kind: 'phone-link', org, body }).catch(() => {}),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, 2000);
          }),
        ]);
        clearTimeout(timer);
      }
      await client.endAsync(true);
    },
  };
}
