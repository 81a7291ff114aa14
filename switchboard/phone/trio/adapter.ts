// The Trio Enterprise adapter (the referral and operator system SAMSA's policy names: Trio Assistant,
// Trio Referral, Trio CC): each referral change is written to the person's subscriber in Trio (PUT when
// away, DELETE when back) and read back, so that what the operators' Trio shows is known to be what
// hanvisa said; a difference is a fault. The API's shape is assumed (api.ts). Only the newest change per
// extension is written; a failed write (network, 5xx, 408, 429) is retried with doubling delays for as
// long as it is the newest, since Trio must end up with the current referral; other refusals (401, 400)
// are faults and not retried. Reachability is what the writes meet: Trio has no presence of its own
// here to watch, so phone/link is known from the first write on.
import type { PhoneListener, PhoneSystem, Referral } from '../port.js';
import { sameReferral, TrioReferral, trioReferral } from './api.js';

export interface TrioConfig {
  /** the API's base, e.g. https://trio.example.se/api/v1 */
  url: string;
  /** the Bearer token */
  token: string;
  /** hanvisa reason code → Trio's reason code, where they differ */
  reasons?: Record<string, string>;
  retryMs?: { min: number; max: number };
  timeoutMs?: number;
}

class Refused extends Error {}

export function createTrioPhone(config: TrioConfig): PhoneSystem {
  const retry = config.retryMs ?? { min: 1000, max: 60_000 };
  const latest = new Map<string, Referral>();
  const timers = new Map<string, NodeJS.Timeout>();
  let listener: PhoneListener | undefined;
  let up: boolean | undefined;
  let closed = false;

  const reach = (ok: boolean, detail?: string) => {
    if (closed || up === ok) return;
    up = ok;
    listener?.link(ok, detail);
  };

  const call = async (method: 'GET' | 'PUT' | 'DELETE', ext: string, body?: TrioReferral) => {
    const res = await fetch(
      `${config.url.replace(/\/$/, '')}/subscribers/${encodeURIComponent(ext)}/referral`,
      {
        method,
        headers: {
          authorization: `Bearer ${config.token}`,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
      },
    );
    // a 404 on GET or DELETE is "no referral", which is an answer
    if (res.ok || (res.status === 404 && method !== 'PUT')) return res;
    await res.body?.cancel();
    const what = `Trio ${method} ${ext}: HTTP ${res.status}`;
    if (res.status >= 500 || res.status === 408 || res.status === 429) throw new Error(what);
    throw new Refused(what);
  };

  /** What Trio holds for the extension now. */
  const readBack = async (ext: string): Promise<TrioReferral | null> => {
    const res = await call('GET', ext);
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    const parsed = TrioReferral.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new Refused(`Trio GET ${ext}: not a referral`);
    return parsed.data;
  };

  async function write(referral: Referral, attempt: number): Promise<void> {
    const { ext } = referral;
    if (closed || latest.get(ext) !== referral) return; // superseded by a newer change
    const wanted = trioReferral(referral, config.reasons ?? {});
    try {
      const res = await call(wanted ? 'PUT' : 'DELETE', ext, wanted ?? undefined);
      await res.body?.cancel();
      const stored = await readBack(ext);
      reach(true);
      if (!closed && latest.get(ext) === referral && !sameReferral(stored, wanted))
        listener?.fault(
          new Error(`Trio holds ${JSON.stringify(stored)} for ${ext}, not the referral written`),
        );
    } catch (e) {
      if (e instanceof Refused) {
        reach(true);
        if (!closed) listener?.fault(e);
        return;
      }
      // fetch's own message is only "fetch failed": the cause says what (ECONNREFUSED, a timeout)
      const cause = (e as Error).cause;
      reach(false, cause instanceof Error ? `Trio ${ext}: ${cause.message}` : (e as Error).message);
      if (closed) return;
      clearTimeout(timers.get(ext));
      timers.set(
        ext,
        setTimeout(() => void write(referral, attempt + 1), Math.min(retry.min * 2 ** attempt, retry.max)),
      );
    }
  }

  return {
    system: 'trio',
    async open(l) {
      listener = l;
    },
    referralChanged(referral) {
      latest.set(referral.ext, referral);
      clearTimeout(timers.get(referral.ext));
      void write(referral, 0);
    },
    async close() {
      closed = true;
      for (const t of timers.values()) clearTimeout(t);
    },
  };
}
