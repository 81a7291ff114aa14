// Cuts the byte stream from a Firmata board into whole messages and drops the bytes that belong to
// none. firmata-io's own parser trusts the line: a message cut short by noise can swallow the next
// message's first byte as data and read as a phantom DIGITAL_MESSAGE (a key press nobody made). So it
// gets only whole messages from here, and we count what we dropped.
// Board → host messages (https://github.com/firmata/protocol): DIGITAL_MESSAGE (0x9p) and
// ANALOG_MESSAGE (0xEp) with two data bytes, REPORT_VERSION (0xF9) with two, sysex 0xF0 … 0xF7.

const START_SYSEX = 0xf0;
const END_SYSEX = 0xf7;
/** longer than any reply a board sends (a Mega's capability response is under 1 KB) */
const MAX_SYSEX = 4096;

function dataBytes(status: number): number | undefined {
  const high = status & 0xf0;
  if (high === 0x90 || high === 0xe0 || status === 0xf9) return 2;
  return undefined;
}

export interface Framed {
  /** the whole messages completed by this chunk */
  messages: number[][];
  /** bytes dropped: noise, and messages cut short */
  stray: number;
}

export class FirmataFramer {
  /** the message under way (kept across chunks) */
  private held: number[] = [];
  /** data bytes it still wants, or 'sysex' until END_SYSEX */
  private wanted: number | 'sysex' = 0;

  push(chunk: Uint8Array): Framed {
    const out: Framed = { messages: [], stray: 0 };
    for (const byte of chunk) {
      if (byte & 0x80 && !(this.wanted === 'sysex' && byte === END_SYSEX)) {
        out.stray += this.held.length; // a status byte cuts the message under way short
        this.held = [];
        this.wanted = 0;
        const wanted = byte === START_SYSEX ? 'sysex' : dataBytes(byte);
        if (wanted === undefined) out.stray++;
        else {
          this.wanted = wanted;
          this.held.push(byte);
        }
      } else if (this.wanted === 'sysex') {
        this.held.push(byte);
        if (byte === END_SYSEX) this.complete(out);
        else if (this.held.length > MAX_SYSEX) {
          out.stray += this.held.length;
          this.held = [];
          this.wanted = 0;
        }
      } else if (this.wanted > 0) {
        this.held.push(byte);
        if (--this.wanted === 0) this.complete(out);
      } else out.stray++;
    }
    return out;
  }

  private complete(out: Framed): void {
    out.messages.push(this.held);
    this.held = [];
    this.wanted = 0;
  }
}
