// The board's authoritative writes kept on disk, so a broker that lost its store gets them back: each
// phone message it took (its own mwi/{ext}/msg/{id} record, until it is handled: on this board, or
// on another, whose clear this board hears) and each referral an operator set on someone's behalf,
// until a newer presence supersedes it, and each logout made on it (until the login expires, so one made
// while the broker was away outlives a restart: docs/access.md). One JSON file, replaced atomically
// (writeFileAtomically) before the publish goes out, so a write the operator saw succeed is on disk.
// Why a file and not the recorder's database: docs/board.md, "The board's own writes".
import { readFileSync } from 'node:fs';
import { writeFileAtomically } from '../../config/atomic-file.js';
import { createLogger } from '../../log/logger.js';
import { decode, encode, type Message, supersedes } from '../../protocol/index.js';

const log = createLogger('board-store');

type OwnMessage = Extract<Message, { kind: 'mwi-message' | 'presence' | 'session-revoked' }>;

const OWN_KINDS = new Set<Message['kind']>(['mwi-message', 'presence', 'session-revoked']);

export class DurableWrites {
  /** topic → the board's newest write on it, as the contract's payload text */
  private readonly writes = new Map<string, string>();

  constructor(private readonly file: string) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new Error(`cannot read the board's store ${file}: ${(e as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error(`the board's store ${file} is not JSON (${(e as Error).message}); fix or remove it`);
    }
    const writes = (parsed as { writes?: unknown })?.writes;
    if (typeof writes !== 'object' || writes === null)
      throw new Error(`the board's store ${file} has no "writes" object`);
    for (const [topic, payload] of Object.entries(writes)) {
      // each entry passes the contract as if it came from the broker; a bad one is dropped, loudly
      const decoded = typeof payload === 'string' ? decode(topic, Buffer.from(payload)) : undefined;
      if (decoded?.ok) this.writes.set(topic, payload as string);
      else log.warn('store entry refused; not republished', { topic });
    }
  }

  /**
   * Records the write on disk; throws if it cannot be, and then nothing may be published. Returns what
   * undoes it, for a publish the broker refused (the operator is told nothing changed).
   */
  record(message: OwnMessage): () => void {
    const { topic, payload } = encode(message);
    const before = this.writes.get(topic);
    // a handled message (empty payload) leaves the store: nothing brings it back on a reconnect
    this.replace(topic, payload.length ? payload.toString() : undefined);
    return () => {
      try {
        this.replace(topic, before);
      } catch (e) {
        log.warn('could not undo a refused write in the store', { topic, error: (e as Error).message });
      }
    };
  }

  /**
   * A message arrived from the broker: a cleared phone message (handled on another board), a cleared
   * logout (expired) or a newer presence than the operator's referral ends the board's claim.
   */
  heard(topic: string, heard: Message): void {
    // usually none of the board's own writes is open: a retained burst then hashes no topic here
    if (this.writes.size === 0) return;
    const mine = this.writes.get(topic);
    if (mine === undefined) return;
    if ((heard.kind === 'mwi-message' || heard.kind === 'session-revoked') && heard.body === null) {
      this.drop(topic, heard.kind === 'mwi-message' ? 'a handled message' : 'an expired logout');
      return;
    }
    if (heard.kind !== 'presence' || !heard.body) return;
    const decoded = decode(topic, Buffer.from(mine));
    const stored = decoded.ok && decoded.message.kind === 'presence' ? decoded.message.body : null;
    if (!stored || !supersedes(heard.body, stored)) return;
    this.drop(topic, 'a superseded referral');
  }

  private drop(topic: string, what: string): void {
    try {
      this.replace(topic, undefined);
    } catch (e) {
      // kept: the next drop or record tries again; meanwhile a reconnect may republish it once
      log.warn(`could not drop ${what} from the store`, { error: (e as Error).message });
    }
  }

  /** Everything to republish after a (re)connect. */
  messages(): OwnMessage[] {
    const out: OwnMessage[] = [];
    for (const [topic, payload] of this.writes) {
      const decoded = decode(topic, Buffer.from(payload));
      if (decoded.ok && OWN_KINDS.has(decoded.message.kind)) out.push(decoded.message as OwnMessage);
    }
    return out;
  }

  private replace(topic: string, payload: string | undefined): void {
    const next = new Map(this.writes);
    if (payload === undefined) next.delete(topic);
    else next.set(topic, payload);
    this.save(next);
    if (payload === undefined) this.writes.delete(topic);
    else this.writes.set(topic, payload);
  }

  private save(writes: Map<string, string>): void {
    writeFileAtomically(this.file, `${JSON.stringify({ v: 1, writes: Object.fromEntries(writes) })}\n`);
  }
}
