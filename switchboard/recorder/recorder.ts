// The recorder service: a contract session on the recorded kinds (QoS 1, clean session, so the
// retained state arrives on every connect) and a list of features: each change and each call becomes
// an event (recorded-events.ts) in a batch appended to the store, its own recording session is kept
// alive there (a crash leaves a gap ending at the last heartbeat), and closed days are rolled up into
// figures. Bad messages are refused, counted and logged by the session.
import { randomUUID } from 'node:crypto';
import { createLogger } from '../../log/logger.js';
import { uniqueClientId } from '../../mqtt/client.js';
import type { RejectionCounter } from '../../protocol/index.js';
import { ContractSession, type Withheld } from '../../session/contract-session.js';
import { kindFilters } from '../../session/filters.js';
import type { RecorderContext, RecorderFeature } from './context.js';
import { type BatchCounts, EventBatch } from './event-batch.js';
import { batchesFeature } from './features/batches.js';
import { callsFeature } from './features/calls.js';
import { changesFeature } from './features/changes.js';
import { dailyFiguresFeature } from './features/daily-figures.js';
import { recordingSessionFeature } from './features/recording-session.js';
import type { RecorderOptions } from './options.js';
import { createOrdClock } from './recorded-events.js';
import { RollupRunner } from './rollup.js';

export type { RecorderOptions } from './options.js';

export interface RecorderStats extends BatchCounts {
  /** every message that came, refused ones included */
  received: number;
  pending: number;
  /** what the broker withheld (its ACL for the recorder's account) */
  withheld: Withheld;
}

export interface Recorder {
  /** this run's recording session in the store */
  readonly session: string;
  /** the broker link (status, failures) */
  readonly link: ContractSession;
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

/**
 * The features, in the order they start; they stop last first, so the recording session (its down)
 * goes after the last batch, and the batch after the features that fill it. A new feature is one
 * entry here; the kinds it hears are subscribed with it.
 */
function features(ctx: RecorderContext): RecorderFeature[] {
  return [
    recordingSessionFeature(ctx),
    batchesFeature(ctx),
    dailyFiguresFeature(ctx),
    changesFeature(ctx),
    callsFeature(ctx),
  ];
}

export async function startRecorder(options: RecorderOptions): Promise<Recorder> {
  const now = options.now ?? Date.now;
  const { storage } = options;
  const recording = randomUUID();
  const session = new ContractSession({
    url: options.brokerUrl,
    clientId: uniqueClientId(`recorder-${recording.slice(0, 8)}`),
    login: options.credentials,
    filters: [],
    // every site has its directory: none means the account's ACL lets the recorder read nothing
    needs: ['directory-person'],
    log,
    connectTimeoutMs: 5000,
  });
  const ctx: RecorderContext = {
    bus: session.bus,
    storage,
    options,
    log,
    now,
    ord: createOrdClock(now),
    recording,
    batch: new EventBatch(storage, log, options.batchMax ?? 2000),
    rollups: new RollupRunner(storage, options.orgs, now, options.retentionDays ?? 30, log, options.records),
  };
  const running = features(ctx);
  // Validated (filterFor throws on a bad org) before anything is written.
  const kinds = new Set(running.flatMap((feature) => feature.kinds ?? []));
  session.setFilters(kindFilters([...kinds], options.orgs));
  await session.start(running);

  return {
    session: recording,
    link: session,
    rejections: session.rejections,
    ready: session.ready,
    stats: () => ({
      ...ctx.batch.counts,
      received: ctx.batch.counts.received + session.rejections.total,
      pending: ctx.batch.size,
      withheld: session.withheld(),
    }),
    flush: () => ctx.batch.flush(),
    rollup: () => ctx.rollups.run(),
    close: () => session.close(),
  };
}
