// A message into the board's model the way the broker hands it over: encoded to its topic and
// payload bytes, then received (decoded, validated, applied). True when the model changed.
import { encode, type Message } from '../../protocol/index.js';
import type { BoardModel } from '../../switchboard/board/model.js';

export function feed(model: BoardModel, message: Message): boolean {
  const { topic, payload } = encode(message);
  return model.receive(topic, payload);
}
