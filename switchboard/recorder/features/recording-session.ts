// The recording session: the recorder's own up and down in the store, so a gap in the log is a time
// nobody measured. At start it closes the sessions a crash left open (silent for three heartbeats: a
// session still heartbeating is another recorder on the same store, left alone) and records its up; a heartbeat
// keeps its last sign of life (a crash's gap starts there); at stop, after the last batch, its down.
// Listed first: it starts before anything is heard and stops last.
import type { RecorderContext, RecorderFeature } from '../context.js';
import { isSilent } from '../figures/gaps.js';
import { DEFAULT_HEARTBEAT_MS } from '../options.js';
import { recorderEvent } from '../recorded-events.js';
import type { RecorderSession } from '../storage/port.js';

/** Closes the sessions a crash left open: their down is their last heartbeat or last event. */
async function closeCrashedSessions(ctx: RecorderContext, heartbeatMs: number): Promise<void> {
  const { storage } = ctx;
  for (const s of await storage.sessions()) {
    if (!isSilent(s, ctx.now(), heartbeatMs)) continue;
    const downOrd = Math.max(s.lastSeen * 1000, ((await storage.lastOrd()) ?? 0) + 1);
    const down = Math.floor(downOrd / 1000);
    await storage.append([recorderEvent('down', s.id, down, downOrd, s.orgs)]);
    await storage.upsertSession({ ...s, lastSeen: down, stoppedAt: down });
    ctx.log.warn('the previous recorder stopped without a goodbye: a gap from its last heartbeat', {
      session: s.id,
      lastSeen: new Date(s.lastSeen).toISOString(),
    });
  }
}

export function recordingSessionFeature(ctx: RecorderContext): RecorderFeature {
  const { storage, now, recording: id } = ctx;
  let startedAt = 0;
  let heartbeat: NodeJS.Timeout | undefined;
  const heartbeatMs = ctx.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const orgs = ctx.options.orgs?.length ? ctx.options.orgs : undefined;
  const seen = (lastSeen: number, stoppedAt: number | null) => {
    const session: RecorderSession = { id, startedAt, lastSeen, stoppedAt, ...(orgs ? { orgs } : {}) };
    return storage.upsertSession(session);
  };
  return {
    async start() {
      await closeCrashedSessions(ctx, heartbeatMs);
      startedAt = now();
      await storage.append([recorderEvent('up', id, startedAt, ctx.ord(), orgs)]);
      await seen(startedAt, null);
      heartbeat = setInterval(() => {
        seen(now(), null).catch((e: unknown) =>
          ctx.log.warn('heartbeat not stored', { error: (e as Error).message }),
        );
      }, heartbeatMs);
      heartbeat.unref();
    },
    async stop() {
      clearInterval(heartbeat);
      const at = now();
      await storage.append([recorderEvent('down', id, at, ctx.ord(), orgs)]);
      await seen(at, at);
    },
  };
}
