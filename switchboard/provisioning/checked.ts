/** A value that passed its checks, or the reason it did not: what IT's input turns into. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };
