// The board's own mwi writes that the broker has not echoed back yet. The board subscribes to what it
// writes, so each write comes back; until the newest has, the model may hold an older one of them
// (messages taken in a burst), and a write that started from the model would drop what was taken
// since. So the next write starts from the newest unechoed one; once that is back, from the model,
// which then also holds whatever another board instance wrote.
import type { Mwi } from '../../protocol/index.js';

export class OwnWrites {
  private readonly unechoed = new Map<string, { payload: string; value: Mwi }[]>();

  wrote(topic: string, payload: Buffer, value: Mwi): void {
    const mine = this.unechoed.get(topic) ?? [];
    mine.push({ payload: payload.toString(), value });
    this.unechoed.set(topic, mine);
  }

  /** A message arrived on `topic`: the echo of one of ours settles it and every earlier one (QoS 1
   * keeps them in order, and one lost while disconnected is settled by a later one or the retained). */
  heard(topic: string, payload: Buffer): void {
    const mine = this.unechoed.get(topic);
    if (!mine) return;
    const text = payload.toString();
    const i = mine.findIndex((w) => w.payload === text);
    if (i === mine.length - 1) this.unechoed.delete(topic);
    else if (i >= 0) mine.splice(0, i + 1);
  }

  /** A write the broker never took: it will not be echoed, and the next write must not build on it. */
  forget(topic: string, payload: Buffer): void {
    const mine = this.unechoed.get(topic);
    const i = mine?.findIndex((w) => w.payload === payload.toString()) ?? -1;
    if (i >= 0) mine?.splice(i, 1);
    if (mine?.length === 0) this.unechoed.delete(topic);
  }

  /** The newest of our writes on `topic` still on its way back, if any. */
  latest(topic: string): Mwi | undefined {
    return this.unechoed.get(topic)?.at(-1)?.value;
  }
}
