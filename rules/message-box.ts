// One person's phone messages arrive on a retained topic each (mwi/{ext}/msg/{id}, issue 12), so that
// two boards never rewrite one value; the lamp, the rules and the board's list want them as one set,
// the Mwi shape they always had. Values an older board left on mwi/{ext} count too, until a board
// has converted and cleared them (docs/protocol.md, "Phone messages: one topic each").
import type { Mwi, PhoneMessage } from '../protocol/index.js';

interface Held {
  /** from mwi/{ext}/msg/{id}, by id */
  topics: Map<string, PhoneMessage>;
  /** from the old single mwi/{ext} value */
  legacy: PhoneMessage[];
}

export class MessageBox {
  private readonly people = new Map<string, Held>();

  /** mwi/{ext}/msg/{id} arrived (null: cleared, the message was handled); the person's messages after it. */
  message(person: string, id: string, message: PhoneMessage | null): Mwi | null {
    const held = this.held(person);
    if (message) held.topics.set(id, message);
    else held.topics.delete(id);
    return this.settle(person, held);
  }

  /** The old mwi/{ext} value arrived (null: cleared); the person's messages after it. */
  legacy(person: string, mwi: Mwi | null): Mwi | null {
    const held = this.held(person);
    // a board's copy of the topics (for desks from before 0.1.0) holds nothing they do not
    held.legacy = mwi?.copy ? [] : (mwi?.messages ?? []);
    return this.settle(person, held);
  }

  private held(person: string): Held {
    let held = this.people.get(person);
    if (!held) {
      held = { topics: new Map(), legacy: [] };
      this.people.set(person, held);
    }
    return held;
  }

  private settle(person: string, held: Held): Mwi | null {
    if (held.topics.size === 0 && held.legacy.length === 0) {
      this.people.delete(person);
      return null;
    }
    // a message on both (converted, old value not cleared yet) counts once; oldest first, as taken
    const all = [...held.legacy.filter((m) => !held.topics.has(m.id)), ...held.topics.values()];
    return { v: 1, messages: all.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)) };
  }
}
