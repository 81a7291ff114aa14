// The logins a board refuses before their expiry: logged out here or on another board (heard from the
// broker, switchboard/board/features/revocations.ts), or ended here by a users-file change. Each is
// kept until the login's absolute expiry, when the cookie is refused anyway. Only logouts are told
// to the other boards: a users-file change reaches them through the cookie's fingerprint.

/** A logout as boards share it: an id that names the login only to holders of the session secret. */
export interface Revocation {
  id: string;
  /** the login's absolute expiry (ms): refused until then, forgotten after */
  until: number;
}

export class Revocations {
  private readonly until = new Map<string, number>();
  private readonly listeners = new Set<(revocation: Revocation) => void>();

  has(id: string): boolean {
    return this.until.has(id);
  }

  /** Refuses the login until `until`; true when it was not refused already. */
  add({ id, until }: Revocation): boolean {
    const known = this.until.get(id);
    this.until.set(id, Math.max(until, known ?? until));
    return known === undefined;
  }

  /** A logout on this board: refused here, and told to whoever listens (the other boards). */
  logout(revocation: Revocation): void {
    if (this.add(revocation)) for (const listener of this.listeners) listener(revocation);
  }

  /** Hears every logout made on this board; returns what stops it. */
  onLogout(listener: (revocation: Revocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The ones still in force at `now`. */
  live(now: number): Revocation[] {
    return [...this.until].filter(([, until]) => until > now).map(([id, until]) => ({ id, until }));
  }

  /** Forgets the ones whose login has expired at `now`, and returns their ids. */
  dropExpired(now: number): string[] {
    const gone = [...this.until].filter(([, until]) => until <= now).map(([id]) => id);
    for (const id of gone) this.until.delete(id);
    return gone;
  }
}
