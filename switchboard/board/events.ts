// What the board's extensions hear from the ingest. The ingest decodes each message once; the model,
// the writes (the durable store, the desk's "handled" key, the old-mwi conversion) and the streams subscribe here
// rather than on the raw MQTT client.
import type { EventBus } from '../../events/bus.js';
import type { Message, Rejection } from '../../protocol/index.js';

export interface BoardEvents {
  /** a message the contract took, with the topic and payload as they came (for extensions that compare raw payloads) */
  message: { topic: string; payload: Buffer; message: Message };
  /** a message the contract refused */
  rejected: Rejection;
  /** the broker connection came up (true) or went away (false) */
  broker: boolean;
}

export type BoardBus = EventBus<BoardEvents>;
