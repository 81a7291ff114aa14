// The recorder service: subscribes to the recorded kinds of the stream (QoS 1, clean session, so the
// retained state arrives on every connect), turns each message into an event (recorded-events.ts), appends
// them in batches, keeps its own session alive in the store (a crash leaves a gap ending at the last
// heartbeat), and rolls closed days up into figures. Bad messages are refused, counted and logged.
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { createLogger } from '../../log/logger.js';
import type { BrokerLogin } from '../../mqtt/client.js';
import { createClient, reportConnectionErrors } from '../../mqtt/client.js';
import { decode, filterFor, RejectionCounter } from '../../protocol/index.js';
import {
  callEvent,
  createOrdClock,
  EventKeys,
  fromCallMessage,
  RECORDED_KINDS,
  type RecordedEvent,
  recorderEvent,
} from './recorded-events.js';
import { rollup } from './rollup.js';
import type { Storage } from './storage/port.js';

export interface RecorderOptions {
  brokerUrl: string;
  credentials?: BrokerLogin;
  storage: Storage;
  /** organisations to record; default all on the broker */
  orgs?: string[];
  /** events are appended at least this often (default 100 ms) or at `batchMax` (default 2,000) */
  batchMs?: number;
  batchMax?: number;
  /** the session's heartbeat: a crash's gap starts at the last one (default 30 s) */
  heartbeatMs?: number;
  /** how often closed days are rolled up (default 5 min; also at start) */
  rollupMs?: number;
  /** per-person rows and raw events are kept this many days (default 30; GDPR, docs/recorder.md) */
  retentionDays?: number;
  now?: () => number;
}

export interface RecorderStats {
  received: number;
  recorded: number;
  /** messages that repeated the last value of their topic (retained re-delivery, QoS 1 duplicates) */
  repeated: number;
  /** events the store already had */
  duplicates: number;
  /** append failures (the store unreachable): the batch is kept and retried */
  storeErrors: number;
  pending: number;
}

export interface Recorder {
  readonly session: string;
  readonly client: MqttClient;
  readonly rejections: RejectionCounter;
  /** resolves once subscribed */
  ready: Promise<void>;
  stats(): RecorderStats;
  /** appends what is buffered now */
  flush(): Promise<void>;
  /** rolls up the closed days of every recorded organisation */
  rollup(): Promise<void>;
  /** a clean stop: flushes, records its own down, ends the session */
  close(): Promise<void>;
}

const log = createLogger('recorder');
/** a store that stays away this long loses the oldest events beyond this many, counted */
const MAX_PENDING = 500_000;

/** Closes the sessions a crash left open: their down is their last heartbeat or last event. */
async function closeCrashedSessions(storage: Storage): Promise<void> {
  for (const s of await storage.sessions()) {
    if (s.stoppedAt !== null) continue;
    const downOrd = Math.max(s.lastSeen * 1000, ((await storage.lastOrd()) ?? 0) + 1);
    const down = Math.floor(downOrd / 1000);
    await storage.append([recorderEvent('down', s.id, down, downOrd)]);
    await storage.upsertSession({ ...s, lastSeen: down, stoppedAt: down });
    log.warn('the previous recorder stopped without a goodbye: a gap from its last heartbeat', {
      session: s.id,
      lastSeen: new Date(s.lastSeen).toISOString(),
    });
  }
}

export async function startRecorder(options: RecorderOptions): Promise<Recorder> {
  const now = options.now ?? Date.now;
  const storage = options.storage;
  const ord = createOrdClock(now);
  const session = randomUUID();
  const keys = new EventKeys(session);
  const rejections = new RejectionCounter(log);
  const counts = { received: 0, recorded: 0, repeated: 0, duplicates: 0, storeErrors: 0 };
  const retentionDays = options.retentionDays ?? 30;
  // Validated (filterFor throws on a bad org) before anything is written.
  const filters = (options.orgs?.length ? options.orgs : ['+']).flatMap((org) =>
    [...RECORDED_KINDS, 'call-event' as const].map((kind) => filterFor(kind, org)),
  );

  await closeCrashedSessions(storage);
  const startedAt = now();
  await storage.append([recorderEvent('up', session, startedAt, ord())]);
  await storage.upsertSession({ id: session, startedAt, lastSeen: startedAt, stoppedAt: null });

  let pending: RecordedEvent[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const flush = () => {
    flushing = flushing.then(async () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      try {
        const added = await storage.append(batch);
        counts.recorded += added;
        counts.duplicates += batch.length - added;
      } catch (e) {
        counts.storeErrors++;
        pending = batch.concat(pending);
        if (pending.length > MAX_PENDING) pending = pending.slice(pending.length - MAX_PENDING);
        log.error('cannot append to the store; kept for the next try', {
          error: (e as Error).message,
          pending: pending.length,
        });
      }
    });
    return flushing;
  };

  const client = createClient({
    url: options.brokerUrl,
    clientId: `hanvisa-recorder-${session.slice(0, 8)}`,
    reconnectMs: 1000,
    resubscribe: false,
    connectTimeoutMs: 5000,
    ...options.credentials,
  });
  client.on('message', (topic, payload) => {
    counts.received++;
    const decoded = decode(topic, payload);
    if (!decoded.ok) return rejections.record(decoded);
    const { message } = decoded;
    // call events are not retained and keyed by call and phase, so a QoS 1 repeat is stored once
    const event =
      message.kind === 'call-event'
        ? callEvent(message.org, fromCallMessage(message), ord())
        : keys.toEvent(topic, message, ord());
    if (!event) {
      counts.repeated++;
      return;
    }
    pending.push(event);
    if (pending.length >= (options.batchMax ?? 2000)) void flush();
  });
  reportConnectionErrors(client, log);
  client.on('offline', () => log.warn('broker unreachable: nothing is recorded until it is back'));
  const ready = new Promise<void>((resolve) => {
    client.on('connect', () => {
      client.subscribe(Object.fromEntries(filters.map((f) => [f, { qos: 1 as const }])), (error) => {
        if (error) log.error('subscribe failed', { error: error.message });
        else resolve();
      });
    });
  });

  const runRollup = async () => {
    for (const org of options.orgs?.length ? options.orgs : await storage.orgs()) {
      try {
        const result = await rollup(storage, org, now(), retentionDays);
        if (result.days || result.purged.rows || result.purged.events)
          log.info('rolled up', { org, ...result });
      } catch (e) {
        log.error('rollup failed; tried again at the next interval', { org, error: (e as Error).message });
      }
    }
  };
  let rolling = runRollup();
  const timers = [
    setInterval(() => void flush(), options.batchMs ?? 100),
    setInterval(() => {
      storage
        .upsertSession({ id: session, startedAt, lastSeen: now(), stoppedAt: null })
        .catch((e: unknown) => log.warn('heartbeat not stored', { error: (e as Error).message }));
    }, options.heartbeatMs ?? 30_000),
    setInterval(() => {
      rolling = rolling.then(runRollup);
    }, options.rollupMs ?? 300_000),
  ];
  for (const t of timers) t.unref();

  let closing: Promise<void> | undefined;
  return {
    session,
    client,
    rejections,
    ready,
    stats: () => ({ ...counts, pending: pending.length }),
    flush,
    rollup: () => {
      rolling = rolling.then(runRollup);
      return rolling;
    },
    close() {
      closing ??= (async () => {
        for (const t of timers) clearInterval(t);
        await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
        await flush();
        await rolling;
        const at = now();
        await storage.append([recorderEvent('down', session, at, ord())]);
        await storage.upsertSession({ id: session, startedAt, lastSeen: at, stoppedAt: at });
      })();
      return closing;
    },
  };
}
