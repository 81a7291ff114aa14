#include "link.h"

#include <util/crc16.h>

#include "protocol.h"
#include "uart.h"

/* a COBS-encoded FRAME_MAX needs at most one extra byte */
#define RX_MAX (FRAME_MAX + 1)

static uint8_t rx[RX_MAX];
static uint8_t rx_len;
static uint8_t rx_overflow; /* frame too long: drop everything up to the next 0x00 */
uint16_t link_bad_frames;

static uint16_t crc16(const uint8_t *data, uint8_t len) {
  uint16_t crc = CRC_INIT;
  while (len--) crc = _crc_xmodem_update(crc, *data++);
  return crc;
}

/* decodes rx[0..rx_len) in place; returns the decoded length or 0 when the COBS is invalid */
static uint8_t cobs_decode(void) {
  uint8_t in = 0, out = 0;
  while (in < rx_len) {
    uint8_t code = rx[in++];
    if (code == 0 || in + code - 1 > rx_len) return 0;
    for (uint8_t i = 1; i < code; i++) rx[out++] = rx[in++];
    if (code != 0xFF && in < rx_len) rx[out++] = 0;
  }
  return out;
}

static void frame_end(link_handler handler) {
  if (rx_overflow) {
    link_bad_frames++;
    return;
  }
  if (rx_len == 0) return; /* back-to-back delimiters: the host flushing the line, not an error */
  uint8_t n = cobs_decode();
  if (n < 4 || rx[0] != PROTO_VERSION) {
    link_bad_frames++;
    return;
  }
  uint16_t crc = rx[n - 2] | ((uint16_t)rx[n - 1] << 8);
  if (crc16(rx, n - 2) != crc) {
    link_bad_frames++;
    return;
  }
  handler(rx[1], rx + 2, n - 4);
}

void link_rx(uint8_t byte, link_handler handler) {
  if (byte == 0) {
    frame_end(handler);
    rx_len = 0;
    rx_overflow = 0;
    return;
  }
  if (rx_len == RX_MAX) {
    rx_overflow = 1;
    return;
  }
  rx[rx_len++] = byte;
}

void link_send(uint8_t type, const uint8_t *body, uint8_t len) {
  uint8_t raw[FRAME_MAX];
  raw[0] = PROTO_VERSION;
  raw[1] = type;
  for (uint8_t i = 0; i < len; i++) raw[2 + i] = body[i];
  uint8_t n = 2 + len;
  uint16_t crc = crc16(raw, n);
  raw[n++] = (uint8_t)crc;
  raw[n++] = (uint8_t)(crc >> 8);

  /* A 0x00 before the frame as well as after it: whatever noise or half frame (say, from before a
   * reset) is on the line ends there instead of spoiling this frame. */
  uart_putc(0);
  /* COBS: each block is a length byte and up to 254 non-zero bytes; frames here are < 254 */
  uint8_t start = 0;
  for (uint8_t i = 0; i <= n; i++) {
    if (i == n || raw[i] == 0) {
      uart_putc(i - start + 1);
      for (uint8_t j = start; j < i; j++) uart_putc(raw[j]);
      start = i + 1;
    }
  }
  uart_putc(0);
}
