// Microsoft Teams as a phone system behind port.ts: each referral is mirrored to the person's Microsoft
// 365 account through Graph (teams/plan.ts says what): an application presence session
// (POST /users/{id}/presence/setPresence) renewed two minutes before it expires for as long as the
// absence lasts, the status message with the return time as its expiry (setStatusMessage), and for a
// long absence Exchange's automatic replies (PATCH /users/{id}/mailboxSettings). Reopening clears the
// session and the message, and switches off automatic replies hanvisa set: an Out of Office left behind
// after a vacation is Teams users' most common complaint, so which replies hanvisa set is kept in a
// state file across restarts. A failed call marks the link down and the referral is tried again a
// minute later. Teams clients take a few minutes to show a change; that is Microsoft's side.
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomically } from '../../../config/atomic-file.js';
import { createLogger } from '../../../log/logger.js';
import { type Clock, systemClock } from '../../../rules/clock.js';
import { type ClientCredentials, clientCredentialsToken } from '../../graph/client-credentials.js';
import type { PhoneListener, PhoneSystem, Referral } from '../port.js';
import { teamsPlan } from './plan.js';

const log = createLogger('teams');
const RENEW_EARLY_MS = 2 * 60_000;
const RETRY_MS = 60_000;

export interface TeamsOptions {
  credentials: ClientCredentials;
  /** extension → the person's Entra user id (or user principal name) */
  users: Readonly<Record<string, string>>;
  /** the app's id, Graph's `sessionId` of the application presence session */
  sessionId: string;
  /** default https://graph.microsoft.com/v1.0 */
  graph?: string;
  /** which users hanvisa switched automatic replies on for */
  stateFile?: string;
  clock?: Clock;
}

class GraphError extends Error {}

export function createTeamsPresence(options: TeamsOptions): PhoneSystem {
  const clock = options.clock ?? systemClock;
  const graph = options.graph ?? 'https://graph.microsoft.com/v1.0';
  const token = clientCredentialsToken(options.credentials, clock);
  const timers = new Map<string, unknown>();
  /** one person's changes go out in order: a reopen never overtaken by the lunch before it */
  const chains = new Map<string, Promise<unknown>>();
  const replies = new Set<string>(
    options.stateFile && existsSync(options.stateFile)
      ? (JSON.parse(readFileSync(options.stateFile, 'utf8')) as { replies: string[] }).replies
      : [],
  );
  const saveReplies = () => {
    if (options.stateFile)
      writeFileAtomically(options.stateFile, `${JSON.stringify({ replies: [...replies] })}\n`);
  };
  let listener: PhoneListener | undefined;
  let closed = false;

  const call = async (method: string, path: string, body: unknown, retried = false): Promise<void> => {
    const res = await fetch(`${graph}${path}`, {
      method,
      headers: { authorization: `Bearer ${await token.get()}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    await res.body?.cancel();
    if (res.status === 401 && !retried) {
      token.invalidate();
      return call(method, path, body, true);
    }
    if (!res.ok)
      throw new GraphError(`graph ${method} ${path.replace(/\/users\/[^/]+/, '/users/…')} ${res.status}`);
  };

  const utc = (iso: string) => ({ dateTime: iso.replace(/Z$/, ''), timeZone: 'UTC' });

  const mirror = async (r: Referral, user: string) => {
    const u = `/users/${encodeURIComponent(user)}`;
    const plan = teamsPlan(r, clock.now());
    const sessionId = options.sessionId;
    if (!plan.away) {
      await call('POST', `${u}/presence/clearPresence`, { sessionId });
      await call('POST', `${u}/presence/setStatusMessage`, {
        statusMessage: { message: { content: '', contentType: 'text' } },
      });
    } else {
      await call('POST', `${u}/presence/setPresence`, {
        sessionId,
        availability: 'Away',
        activity: 'Away',
        expirationDuration: `PT${plan.sessionMinutes}M`,
      });
      await call('POST', `${u}/presence/setStatusMessage`, {
        statusMessage: {
          message: { content: plan.status.text, contentType: 'text' },
          ...(plan.status.expires ? { expiryDateTime: utc(plan.status.expires) } : {}),
        },
      });
    }
    const reply = plan.away ? plan.autoReply : null;
    if (reply) {
      await call('PATCH', `${u}/mailboxSettings`, {
        automaticRepliesSetting: {
          status: reply.end ? 'scheduled' : 'alwaysEnabled',
          scheduledStartDateTime: utc(reply.start),
          ...(reply.end ? { scheduledEndDateTime: utc(reply.end) } : {}),
          internalReplyMessage: reply.text,
          externalReplyMessage: reply.text,
        },
      });
      replies.add(r.ext);
      saveReplies();
    } else if (replies.has(r.ext)) {
      // back (or only out for lunch now): the Out of Office hanvisa set goes, not one the person set
      await call('PATCH', `${u}/mailboxSettings`, { automaticRepliesSetting: { status: 'disabled' } });
      replies.delete(r.ext);
      saveReplies();
    }
    return plan.away &&
      (r.presence.until === null || Date.parse(r.presence.until) > clock.now() + plan.sessionMinutes * 60_000)
      ? plan.sessionMinutes * 60_000 - RENEW_EARLY_MS
      : undefined;
  };

  const apply = (r: Referral) => {
    const user = options.users[r.ext];
    if (!user || closed) return;
    clock.clearTimeout(timers.get(r.ext));
    timers.delete(r.ext);
    const again = (ms: number) => {
      if (!closed)
        timers.set(
          r.ext,
          clock.setTimeout(() => apply(r), ms),
        );
    };
    const done = (chains.get(r.ext) ?? Promise.resolve()).then(() => mirror(r, user));
    chains.set(
      r.ext,
      done.catch(() => undefined),
    );
    done.then(
      (renewIn) => {
        listener?.link(true);
        if (renewIn !== undefined) again(renewIn);
      },
      (e: unknown) => {
        log.warn('teams presence not mirrored', { ext: r.ext, error: (e as Error).message });
        listener?.link(false, (e as Error).message);
        again(RETRY_MS);
      },
    );
  };

  return {
    system: 'teams',
    async open(l) {
      listener = l;
      // the link is up once a token comes: the tenant and the app's secret are right
      token.get().then(
        () => l.link(true),
        (e: unknown) => l.link(false, (e as Error).message),
      );
    },
    referralChanged: apply,
    async close() {
      closed = true;
      for (const t of timers.values()) clock.clearTimeout(t);
      timers.clear();
    },
  };
}
