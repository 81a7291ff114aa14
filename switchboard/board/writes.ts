// The operators' write routes: a referral on someone's behalf, a phone message, marking one handled.
// The rules are in actions.ts (pure); this does the I/O: who may, the body, and the publish through
// the board's contract session. Operator boards are the authority for phone messages: each one its own
// retained topic, so two boards side by side only ever add or clear a topic, never rewrite a shared value.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLogger } from '../../log/logger.js';
import { type Actor, encode, type Message, type Mwi, SEGMENT_PATTERNS } from '../../protocol/index.js';
import { policyFromOrg } from '../../rules/policy.js';
import type { ContractSession } from '../../session/contract-session.js';
import {
  ACTING_ROLES,
  type Auth,
  awayForwardPolicy,
  canHandleMessage,
  canSeeOrg,
  canSetReferral,
  type Session,
} from '../auth/index.js';
import { guardForward, MessageRequest, PresenceRequest, presenceOnBehalf, takeMessage } from './actions.js';
import { type AuditSource, auditTrail } from './audit.js';
import type { DurableWrites } from './durable-writes.js';
import { type HttpCounts, HttpError, json, parseBody } from './http.js';
import type { BoardModel } from './model.js';

/** /api/presence/{org}/{ext}, /api/messages/{org}/{ext}, /api/messages/{org}/{ext}/{id}/handled */
export const WRITE_PATH = /^\/api\/(presence|messages)\/([^/]+)\/([^/]+)(?:\/([^/]+)\/(handled))?$/;
/** GET /api/audit/{org}/{ext}: the referral changes operators made for the person (audit.ts), from the recorder's store */
export const AUDIT_PATH = /^\/api\/audit\/([^/]+)\/([^/]+)$/;

const log = createLogger('board');

/**
 * Who a referral change is by. An operator acts as the switchboard; a person acting on their own
 * extension from the web is their own desk (`desk`, id `web:{username}`): the same rank as their key
 * panel, so a change by hand still wins over the calendar (protocol/presence-order.ts) and the
 * operator still wins a tie, and no reader of the contract meets an actor kind it does not know.
 */
export function actorOf(session: Pick<Session, 'role' | 'username'>): Actor {
  return ACTING_ROLES.includes(session.role)
    ? { kind: 'operator', id: session.username }
    : { kind: 'desk', id: `web:${session.username}`.slice(0, 64) };
}

export interface WritesOptions {
  model: BoardModel;
  session: ContractSession;
  auth: Auth;
  /** the organisations on this board; undefined: all on the broker */
  orgs: string[] | undefined;
  now: () => number;
  http: HttpCounts;
  /** how long a publish may wait for the broker's PUBACK before the operator gets a 504; default 10 s */
  publishTimeoutMs?: number;
  /** where the board keeps its phone messages and referrals for a broker that lost them; none: broker only */
  store?: DurableWrites;
  /** the recorder's store, where the audit trail is read; none: the trail is not kept (the answer says so) */
  audit?: AuditSource;
}

export interface Writes {
  /** Answers a POST whose path matches WRITE_PATH. */
  handle(req: IncomingMessage, res: ServerResponse, path: string, session: Session): Promise<void>;
  /** Answers GET /api/audit/{org}/{ext} for an operator: an AuditAnswer (audit.ts). */
  audit(req: IncomingMessage, res: ServerResponse, path: string, session: Session): Promise<void>;
  /** Drops a phone message (from the board or the desk's "handled" key); false if there is none. */
  markHandled(org: string, ext: string, id: string): Promise<boolean>;
  /** Moves messages an older board left in one mwi/{ext} value onto their own topics, then clears it. */
  convertLegacy(org: string, ext: string, mwi: Mwi): Promise<void>;
  /** Publishes one write (the contract's checks, the durable store, the PUBACK wait), then shows it. */
  commit(message: Message): Promise<void>;
  /** What the board wrote, by counts: presences, messages taken, messages handled (board or desk). */
  readonly counts: { presence: number; message: number; handled: number };
}

export function createWrites({
  model,
  session,
  auth,
  orgs,
  now,
  http,
  publishTimeoutMs = 10_000,
  store,
  audit: auditSource,
}: WritesOptions): Writes {
  const counts = { presence: 0, message: 0, handled: 0 };
  // Only to cap a person's messages (the Mwi schema's 200): nothing read here is written back.
  const currentMwi = (org: string, ext: string): Mwi | null => {
    const row = model.row(org, ext);
    return row ? { v: 1, messages: row.phoneMessages ?? [] } : null;
  };
  /**
   * Publishes, then applies to the model: the board shows only what the broker took. A message the
   * contract refuses (encode throws: a payload over 64 KiB, say) or a broker that does not take it
   * changes nothing, and the operator gets a 4xx/5xx that says so.
   */
  const commit = async (message: Message) => {
    if (!session.connected)
      throw new HttpError(503, 'the broker is unreachable; nothing was changed', '', 'broker-down');
    try {
      // the contract's checks, before anything is saved or sent
      encode(message);
    } catch (e) {
      log.warn('write refused by the contract', { kind: message.kind, error: (e as Error).message });
      throw new HttpError(422, `${(e as Error).message}; nothing was changed`);
    }
    // on disk before it goes out: once the operator sees it taken, a broker that loses it gets it back
    let undo: (() => void) | undefined;
    try {
      undo =
        message.kind === 'mwi-message' || message.kind === 'presence' ? store?.record(message) : undefined;
    } catch (e) {
      log.error('write not saved', { kind: message.kind, error: (e as Error).message });
      throw new HttpError(
        503,
        `the board could not save the change (${(e as Error).message}); nothing was changed`,
      );
    }
    const acked = session.publish(message);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), publishTimeoutMs);
    });
    try {
      if ((await Promise.race([acked, late])) === 'late') {
        // mqtt.js still holds it and sends it on if the broker comes back: then the board's own
        // subscription brings it onto the board like anyone's change; until then the board does not show it.
        acked.catch(() => undo?.());
        log.error('publish not acknowledged in time', { kind: message.kind, ms: publishTimeoutMs });
        throw new HttpError(
          504,
          `the broker has not acknowledged the change within ${publishTimeoutMs / 1000} s: it is not shown, ` +
            'and goes out only if the broker takes it when it answers again',
        );
      }
    } catch (e) {
      if (e instanceof HttpError) throw e;
      undo?.();
      log.error('publish failed', { kind: message.kind, error: (e as Error).message });
      throw new HttpError(
        503,
        `the broker did not take the change (${(e as Error).message}); nothing was changed`,
        '',
        'broker-down',
      );
    } finally {
      clearTimeout(timer);
    }
    model.apply(message);
  };
  const markHandled = async (org: string, ext: string, id: string) => {
    if (!SEGMENT_PATTERNS.messageId.test(id)) return false;
    if (!model.row(org, ext)?.phoneMessages?.some((m) => m.id === id)) return false;
    // the empty retained payload is MQTT's delete; another board clearing it too changes nothing
    await commit({ kind: 'mwi-message', org, ext, messageId: id, body: null });
    counts.handled++;
    return true;
  };
  const convertLegacy = async (org: string, ext: string, mwi: Mwi) => {
    // the same topics and payloads from every board that converts it: two doing so at once agree
    const movable = mwi.messages.filter((m) => SEGMENT_PATTERNS.messageId.test(m.id));
    for (const message of movable)
      await commit({ kind: 'mwi-message', org, ext, messageId: message.id, body: { v: 1, message } });
    if (movable.length === mwi.messages.length) await commit({ kind: 'mwi', org, ext, body: null });
    else
      log.warn('old phone messages with ids unfit for a topic; left in mwi', {
        org,
        ext,
        count: mwi.messages.length - movable.length,
      });
    log.info('converted the old mwi value into one topic per message', {
      org,
      ext,
      count: mwi.messages.length,
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, path: string, session: Session) => {
    const [, kind, org = '', ext = '', rawId, handled] = WRITE_PATH.exec(path) ?? [];
    if (!SEGMENT_PATTERNS.org.test(org) || !SEGMENT_PATTERNS.ext.test(ext))
      throw new HttpError(400, 'org: lower-case letters, digits, -; ext: 1-15 digits', 'ext', 'invalid');
    const id = rawId === undefined ? undefined : decodeURIComponent(rawId);
    // Marking one's own message handled is the recipient's right too, and one's own referral staff's
    // (access.ts); taking a message is the operator's.
    const mayAct = handled
      ? canHandleMessage(session, org, ext)
      : kind === 'presence'
        ? canSetReferral(session, org, ext)
        : ACTING_ROLES.includes(session.role) && canSeeOrg(session, org);
    if (!mayAct) throw new HttpError(403, `the ${session.role} role may not do this`, '', 'forbidden');
    if (!auth.checkCsrf(req, res, session)) {
      http.rejected++;
      return;
    }
    if ((orgs?.length && !orgs.includes(org)) || !model.row(org, ext))
      throw new HttpError(404, `no extension ${ext} in ${org} on this board`, 'ext', 'unknown');
    const at = new Date(now());
    const policy = policyFromOrg(model.orgs.get(org));
    const actor = actorOf(session);
    if (kind === 'presence') {
      const request = await parseBody(req, PresenceRequest);
      const guarded = guardForward(request, ext, (to) => model.row(org, to) ?? undefined, {
        now: at,
        policy,
        away: awayForwardPolicy(session.role),
      });
      if (!guarded.ok) throw new HttpError(409, guarded.error, guarded.field, guarded.code);
      const made = presenceOnBehalf(model.currentPresence(org, ext), request, { now: at, policy, actor });
      if (!made.ok) throw new HttpError(400, made.error, made.field, made.code);
      await commit({ kind: 'presence', org, ext, body: made.value });
      counts.presence++;
      log.info(actor.kind === 'operator' ? 'referral set on behalf' : 'referral set by the person', {
        org,
        ext,
        by: session.username,
        reason: made.value.reason,
      });
      return json(req, res, {
        presence: made.value,
        ...(guarded.value ? { warning: guarded.value } : {}),
      });
    }
    if (handled && id !== undefined) {
      req.resume();
      if (!(await markHandled(org, ext, id))) throw new HttpError(404, 'no such message', 'id', 'unknown');
      log.info('message handled from the board', { org, ext, by: session.username });
      return json(req, res, { handled: id });
    }
    const request = await parseBody(req, MessageRequest);
    const taken = takeMessage(currentMwi(org, ext), request, {
      now: at,
      policy,
      takenBy: session.name,
      id: randomUUID(),
      recipient: model.currentPresence(org, ext),
    });
    if (!taken.ok) throw new HttpError(409, taken.error, taken.field, taken.code);
    const { message } = taken.value;
    await commit({ kind: 'mwi-message', org, ext, messageId: message.id, body: { v: 1, message } });
    counts.message++;
    log.info('message taken', { org, ext, by: session.username });
    res.statusCode = 201;
    return json(req, res, { message: taken.value.message });
  };

  const audit = async (req: IncomingMessage, res: ServerResponse, path: string, session: Session) => {
    const [, org = '', ext = ''] = AUDIT_PATH.exec(path) ?? [];
    if (!ACTING_ROLES.includes(session.role) || !canSeeOrg(session, org))
      throw new HttpError(403, `the ${session.role} role may not do this`, '', 'forbidden');
    if ((orgs?.length && !orgs.includes(org)) || !model.row(org, ext))
      throw new HttpError(404, `no extension ${ext} in ${org} on this board`, 'ext', 'unknown');
    try {
      json(req, res, await auditTrail(auditSource, org, ext, model.currentPresence(org, ext), now()));
    } catch (e) {
      log.error('audit trail not read', { org, ext, error: (e as Error).message });
      throw new HttpError(
        503,
        `the recorder store cannot be read (${(e as Error).message})`,
        '',
        'store-down',
      );
    }
  };

  return { handle, audit, markHandled, convertLegacy, commit, counts };
}
