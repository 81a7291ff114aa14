// The embedded broker's retained messages in a file, so that a restarted broker still holds the
// directory, the organisation's settings, the desks' configs and everyone's referral (what
// Mosquitto's `persistence true` does). The whole set is rewritten after each retained change
// (changes arriving meanwhile are batched into the next write), atomically: a temporary file, then a
// rename, so a crash leaves the previous state, never half a file.
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { readJsonFile } from '../../config/json-file.js';
import type { Logger } from '../../log/logger.js';

export interface RetainedMessage {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
}

const FILE = z.strictObject({
  v: z.literal(1),
  retained: z.array(
    z.strictObject({
      topic: z.string().min(1),
      qos: z.union([z.literal(0), z.literal(1), z.literal(2)]),
      payload: z.base64(),
    }),
  ),
});

export class RetainedFile {
  private readonly messages = new Map<string, RetainedMessage>();
  private writing: Promise<void> | undefined;
  private again = false;
  /** writes that failed (logged); the next change tries again */
  failures = 0;

  constructor(
    readonly path: string,
    private readonly log: Logger,
  ) {}

  /** What the file holds (nothing before the first run); a file that is not one names its problem. */
  load(): RetainedMessage[] {
    if (!existsSync(this.path)) return [];
    const file = readJsonFile(this.path, FILE, 'broker state');
    for (const m of file.retained) {
      this.messages.set(m.topic, { topic: m.topic, qos: m.qos, payload: Buffer.from(m.payload, 'base64') });
    }
    return [...this.messages.values()];
  }

  /** A retained publish: kept, or forgotten when its payload is empty (MQTT's "clear retained"). */
  note(message: RetainedMessage): void {
    if (message.payload.length === 0) this.messages.delete(message.topic);
    else this.messages.set(message.topic, message);
    this.save();
  }

  has(topic: string): boolean {
    return this.messages.has(topic);
  }

  /** Resolves once everything noted so far is on disk. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private save(): void {
    if (this.writing) {
      this.again = true;
      return;
    }
    this.writing = (async () => {
      do {
        this.again = false;
        const retained = [...this.messages.values()].map((m) => ({
          topic: m.topic,
          qos: m.qos,
          payload: m.payload.toString('base64'),
        }));
        const temporary = `${this.path}.tmp`;
        try {
          await writeFile(temporary, `${JSON.stringify({ v: 1, retained })}\n`);
          await rename(temporary, this.path);
        } catch (e) {
          this.failures++;
          this.log.error('broker state not saved', { file: this.path, error: (e as Error).message });
        }
      } while (this.again);
      this.writing = undefined;
    })();
  }
}
