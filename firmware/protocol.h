/* The panel <-> host wire protocol, version 1. docs/panel-protocol.md is the full description;
 * hardware/serial/frame.ts is the host side and must agree byte for byte. */
#ifndef PROTOCOL_H
#define PROTOCOL_H

#define PROTO_VERSION 1

/* message types (second byte of every frame) */
#define MSG_HELLO_REQ 0x01 /* host -> panel: please send HELLO */
#define MSG_HELLO 0x02     /* panel -> host: fw version, caps, counts, reset cause, hardware id */
#define MSG_HEARTBEAT 0x03 /* both ways; panel's carries its counters */
#define MSG_KEY 0x10       /* panel -> host: seq, kind, key */
#define MSG_LED_SET 0x20   /* host -> panel: tag, count, one pattern byte per LED */
#define MSG_LED_ACK 0x21   /* panel -> host: tag, status */
#define MSG_SETTINGS 0x30     /* host -> panel: long-press ms (LE) */
#define MSG_SETTINGS_ACK 0x31 /* panel -> host: status */

#define KEY_PRESS 1
#define KEY_RELEASE 2
#define KEY_LONG 3

#define LED_OFF 0
#define LED_ON 1
#define LED_SLOW 2
#define LED_FAST 3

#define ACK_OK 0
#define ACK_REFUSED 1

#define CAP_LONG_PRESS 0x01   /* panel reports long presses itself */
#define CAP_LED_PATTERNS 0x02 /* panel blinks LEDs locally */
#define CAP_OFFLINE 0x04      /* panel shows an offline pattern when the host goes silent */
#define CAP_SETTINGS 0x08     /* panel takes MSG_SETTINGS (long-press time) */

#define HWID_LEN 8

/* raw frame = version, type, body, CRC-16 (LE); the largest is HELLO: 2 + 15 + 2 */
#define FRAME_MAX 24
#define CRC_INIT 0xFFFF /* CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection */

#endif
