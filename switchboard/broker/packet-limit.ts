// Refuses an MQTT packet by its header, before its body is read: aedes' parser (mqtt-packet) buffers a
// whole packet before any hook sees it, so without this one client could make the broker hold a 100 MB
// publish in memory. Passes the bytes through unchanged and fails as soon as a fixed header announces
// more than `max` bytes (the example Mosquitto's max_packet_size does the same).
import { Transform, type TransformCallback } from 'node:stream';

export class PacketTooLarge extends Error {}

export class PacketLimit extends Transform {
  /** 'type': the next byte starts a packet; 'length': inside the remaining-length varint; 'body': skipping */
  private phase: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private left = 0;

  constructor(private readonly max: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.phase === 'body') {
        const skip = Math.min(this.left, chunk.length - i);
        i += skip;
        this.left -= skip;
        if (this.left === 0) this.phase = 'type';
      } else if (this.phase === 'type') {
        i++;
        this.phase = 'length';
        this.length = 0;
        this.multiplier = 1;
      } else {
        const byte = chunk[i++] as number;
        this.length += (byte & 0x7f) * this.multiplier;
        this.multiplier *= 128;
        if (this.length > this.max || this.multiplier > 128 ** 4) {
          done(new PacketTooLarge(`an MQTT packet of ${this.length}+ bytes exceeds ${this.max}`));
          return;
        }
        if ((byte & 0x80) === 0) {
          this.left = this.length;
          this.phase = this.left > 0 ? 'body' : 'type';
        }
      }
    }
    done(null, chunk);
  }
}
