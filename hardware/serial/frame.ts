// The key-panel wire protocol, version 1 (docs/panel-protocol.md; firmware/link.c and protocol.h are
// the other side). On the wire: 0x00, COBS(version, type, body, CRC-16/CCITT-FALSE little-endian), 0x00.
// The leading 0x00 ends any noise or torn frame before it, so one bad burst costs no good frame.
// Pure: encodeFrame builds the bytes, decodeFrame checks one frame (delimiter already stripped) and
// returns a rejection for anything wrong, never throws.
import type { LedPattern } from '../port.js';

export const PROTOCOL_VERSION = 1;
export const DELIMITER = 0x00;
/** Longer frames are noise or a newer protocol: version 1 frames are at most 25 bytes encoded. */
export const MAX_ENCODED_FRAME = 64;

export const MessageType = {
  helloRequest: 0x01,
  hello: 0x02,
  heartbeat: 0x03,
  key: 0x10,
  ledSet: 0x20,
  ledAck: 0x21,
  settings: 0x30,
  settingsAck: 0x31,
} as const;

/** `settings`: the panel takes MSG_SETTINGS (firmware 1.1 and later). */
export const Capability = {
  longPress: 0x01,
  ledPatterns: 0x02,
  offlinePattern: 0x04,
  settings: 0x08,
} as const;

const KEY_KINDS = ['press', 'release', 'long'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];
const PATTERNS: readonly LedPattern[] = ['off', 'on', 'slow', 'fast'];

/** MCUSR bits as the panel reports them in its hello. */
export const ResetCause = { powerOn: 0x01, external: 0x02, brownOut: 0x04, watchdog: 0x08 } as const;

export interface PanelStatus {
  /** frames the panel dropped (bad COBS, CRC, version, length) since it started; wraps at 65536 */
  badFrames: number;
  keySeq: number;
  offline: boolean;
  rxOverruns: number;
  /** bytes the USART marked bad (framing errors, hardware overruns); firmware 1.0 does not send it */
  rxErrors?: number;
}

export type PanelMessage =
  | { type: 'hello-request' }
  | {
      type: 'hello';
      firmware: string;
      capabilities: number;
      keys: number;
      leds: number;
      resetCause: number;
      /** 16 hex digits from the panel's EEPROM */
      hardwareId: string;
    }
  /** the host's heartbeat has no status, the panel's always has */
  | { type: 'heartbeat'; status?: PanelStatus }
  | { type: 'key'; seq: number; kind: KeyKind; key: number }
  | { type: 'led-set'; tag: number; patterns: LedPattern[] }
  | { type: 'led-ack'; tag: number; ok: boolean }
  | { type: 'settings'; longPressMs: number }
  | { type: 'settings-ack'; ok: boolean };

export type FrameRejectReason =
  | 'too-long'
  | 'cobs'
  | 'too-short'
  | 'crc'
  | 'version'
  | 'unknown-type'
  | 'body';

export interface FrameRejection {
  ok: false;
  reason: FrameRejectReason;
  detail: string;
}

export type FrameResult = { ok: true; message: PanelMessage } | FrameRejection;

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no xorout); avr-libc's _crc_xmodem_update. */
export function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** COBS: the output has no zero byte; frames here are short, but 254-byte blocks are handled. */
export function cobsEncode(raw: Uint8Array): Uint8Array {
  const out: number[] = [0];
  let codeAt = 0;
  let code = 1;
  for (const byte of raw) {
    if (byte === 0) {
      out[codeAt] = code;
      codeAt = out.push(0) - 1;
      code = 1;
      continue;
    }
    out.push(byte);
    if (++code === 0xff) {
      out[codeAt] = code;
      codeAt = out.push(0) - 1;
      code = 1;
    }
  }
  out[codeAt] = code;
  return Uint8Array.from(out);
}

/** Inverse of cobsEncode; undefined when the bytes are not valid COBS. */
export function cobsDecode(encoded: Uint8Array): Uint8Array | undefined {
  const out: number[] = [];
  let i = 0;
  while (i < encoded.length) {
    const code = encoded[i++] ?? 0;
    if (code === 0 || i + code - 1 > encoded.length) return undefined;
    for (let j = 1; j < code; j++) out.push(encoded[i++] ?? 0);
    if (code !== 0xff && i < encoded.length) out.push(0);
  }
  return Uint8Array.from(out);
}

function body(message: PanelMessage): number[] {
  switch (message.type) {
    case 'hello-request':
      return [];
    case 'hello': {
      const [major, minor, patch] = message.firmware.split('.').map(Number);
      const id = message.hardwareId.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? [];
      return [
        major ?? 0,
        minor ?? 0,
        patch ?? 0,
        message.capabilities,
        message.keys,
        message.leds,
        message.resetCause,
        ...id,
      ];
    }
    case 'heartbeat': {
      const s = message.status;
      if (!s) return [];
      const counters = [
        s.badFrames & 0xff,
        (s.badFrames >> 8) & 0xff,
        s.keySeq,
        s.offline ? 1 : 0,
        s.rxOverruns,
      ];
      return s.rxErrors === undefined ? counters : [...counters, s.rxErrors];
    }
    case 'key':
      return [message.seq, KEY_KINDS.indexOf(message.kind) + 1, message.key];
    case 'led-set':
      return [message.tag, message.patterns.length, ...message.patterns.map((p) => PATTERNS.indexOf(p))];
    case 'led-ack':
      return [message.tag, message.ok ? 0 : 1];
    case 'settings':
      return [message.longPressMs & 0xff, (message.longPressMs >> 8) & 0xff];
    case 'settings-ack':
      return [message.ok ? 0 : 1];
  }
}

const TYPE_OF: Record<PanelMessage['type'], number> = {
  'hello-request': MessageType.helloRequest,
  hello: MessageType.hello,
  heartbeat: MessageType.heartbeat,
  key: MessageType.key,
  'led-set': MessageType.ledSet,
  'led-ack': MessageType.ledAck,
  settings: MessageType.settings,
  'settings-ack': MessageType.settingsAck,
};

/** The bytes to put on the wire for one message, both delimiters included. */
export function encodeFrame(message: PanelMessage): Uint8Array {
  const raw = [PROTOCOL_VERSION, TYPE_OF[message.type], ...body(message).map((b) => b & 0xff)];
  const crc = crc16(Uint8Array.from(raw));
  const encoded = cobsEncode(Uint8Array.from([...raw, crc & 0xff, crc >> 8]));
  return Uint8Array.from([DELIMITER, ...encoded, DELIMITER]);
}

const reject = (reason: FrameRejectReason, detail: string): FrameRejection => ({ ok: false, reason, detail });

function parseBody(type: number, b: Uint8Array): PanelMessage | string {
  const at = (i: number) => b[i] ?? 0;
  switch (type) {
    case MessageType.helloRequest:
      return b.length === 0 ? { type: 'hello-request' } : 'hello-request has a body';
    case MessageType.hello:
      if (b.length !== 15) return `hello is ${b.length} bytes, expected 15`;
      return {
        type: 'hello',
        firmware: `${at(0)}.${at(1)}.${at(2)}`,
        capabilities: at(3),
        keys: at(4),
        leds: at(5),
        resetCause: at(6),
        hardwareId: Buffer.from(b.subarray(7)).toString('hex'),
      };
    case MessageType.heartbeat:
      if (b.length === 0) return { type: 'heartbeat' };
      if (b.length !== 5 && b.length !== 6) return `heartbeat is ${b.length} bytes, expected 0, 5 or 6`;
      return {
        type: 'heartbeat',
        status: {
          badFrames: at(0) | (at(1) << 8),
          keySeq: at(2),
          offline: at(3) !== 0,
          rxOverruns: at(4),
          ...(b.length === 6 ? { rxErrors: at(5) } : {}),
        },
      };
    case MessageType.key: {
      const kind = KEY_KINDS[at(1) - 1];
      if (b.length !== 3 || !kind) return `key event ${Buffer.from(b).toString('hex')} is malformed`;
      return { type: 'key', seq: at(0), kind, key: at(2) };
    }
    case MessageType.ledSet: {
      if (b.length < 2 || b.length !== 2 + at(1)) return 'led-set count does not match its length';
      const patterns = [...b.subarray(2)].map((p) => PATTERNS[p]);
      if (patterns.some((p) => p === undefined)) return 'led-set has an unknown pattern';
      return { type: 'led-set', tag: at(0), patterns: patterns as LedPattern[] };
    }
    case MessageType.ledAck:
      return b.length === 2 ? { type: 'led-ack', tag: at(0), ok: at(1) === 0 } : 'led-ack is malformed';
    case MessageType.settings:
      return b.length === 2
        ? { type: 'settings', longPressMs: at(0) | (at(1) << 8) }
        : 'settings is malformed';
    case MessageType.settingsAck:
      return b.length === 1 ? { type: 'settings-ack', ok: at(0) === 0 } : 'settings-ack is malformed';
    default:
      return `unknown message type 0x${type.toString(16)}`;
  }
}

/** Checks and parses one frame as split off the wire (without its 0x00). */
export function decodeFrame(encoded: Uint8Array): FrameResult {
  if (encoded.length > MAX_ENCODED_FRAME) return reject('too-long', `${encoded.length} bytes`);
  const raw = cobsDecode(encoded);
  if (!raw) return reject('cobs', 'invalid COBS block');
  if (raw.length < 4) return reject('too-short', `${raw.length} bytes after COBS`);
  const crc = (raw[raw.length - 2] ?? 0) | ((raw[raw.length - 1] ?? 0) << 8);
  const computed = crc16(raw.subarray(0, raw.length - 2));
  if (crc !== computed)
    return reject('crc', `got 0x${crc.toString(16)}, computed 0x${computed.toString(16)}`);
  if (raw[0] !== PROTOCOL_VERSION)
    return reject('version', `protocol version ${raw[0]}, speak ${PROTOCOL_VERSION}`);
  const type = raw[1] ?? 0;
  const parsed = parseBody(type, raw.subarray(2, raw.length - 2));
  if (typeof parsed === 'string') {
    return reject(Object.values(MessageType).includes(type as never) ? 'body' : 'unknown-type', parsed);
  }
  return { ok: true, message: parsed };
}
