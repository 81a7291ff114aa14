/* hanvisa key panel: keys in, LEDs out, one framed serial link to the desk agent. */
#include <avr/eeprom.h>
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/wdt.h>
#include <util/atomic.h>

#include "keys.h"
#include "leds.h"
#include "link.h"
#include "panel_config.h"
#include "protocol.h"
#include "uart.h"

static volatile uint32_t ms_clock;
static uint8_t reset_cause __attribute__((section(".noinit")));
static uint8_t key_seq;
static uint32_t done_ms;      /* the last millisecond whose work is done */
static uint32_t host_seen_ms; /* done_ms when the last valid frame from the host came */
/* the host sent MSG_SETTINGS, so it reads the 6-byte heartbeat; a 1.0 host would drop it */
static uint8_t host_knows_v11;

/* After a watchdog reset the watchdog stays on with its shortest timeout; it must be switched
 * off before the C runtime's start-up code could run into it. */
void early_init(void) __attribute__((naked, used, section(".init3")));
void early_init(void) {
  reset_cause = MCUSR;
  MCUSR = 0;
  wdt_disable();
}

ISR(TIMER0_COMPA_vect) { ms_clock++; }

static uint32_t now_ms(void) {
  uint32_t now;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { now = ms_clock; }
  return now;
}

static void send_hello(void) {
  uint8_t body[7 + HWID_LEN] = {FW_VERSION_MAJOR,
                                FW_VERSION_MINOR,
                                FW_VERSION_PATCH,
                                CAP_LONG_PRESS | CAP_LED_PATTERNS | CAP_OFFLINE | CAP_SETTINGS,
                                KEY_COUNT,
                                LED_COUNT,
                                reset_cause};
  /* the hardware id is written to EEPROM 0..7 when the panel is provisioned */
  eeprom_read_block(body + 7, (const void *)0, HWID_LEN);
  link_send(MSG_HELLO, body, sizeof body);
}

static void send_key(uint8_t kind, uint8_t key) {
  uint8_t body[3] = {++key_seq, kind, key};
  link_send(MSG_KEY, body, sizeof body);
}

static void send_heartbeat(uint8_t offline) {
  uint8_t body[6] = {(uint8_t)link_bad_frames, (uint8_t)(link_bad_frames >> 8), key_seq, offline,
                     uart_rx_overruns, uart_rx_errors};
  link_send(MSG_HEARTBEAT, body, host_knows_v11 ? sizeof body : sizeof body - 1);
}

static void on_frame(uint8_t type, const uint8_t *body, uint8_t len) {
  host_seen_ms = done_ms;
  switch (type) {
    case MSG_HELLO_REQ:
      send_hello();
      break;
    case MSG_LED_SET: {
      /* tag, count, patterns: a frame for more LEDs than fitted is refused, the old one stays */
      uint8_t status = ACK_REFUSED;
      if (len >= 2 && body[1] <= LED_COUNT && len == 2 + body[1]) {
        uint8_t patterns[LED_COUNT] = {0};
        for (uint8_t i = 0; i < body[1]; i++) patterns[i] = body[2 + i] & 3;
        leds_set(patterns);
        status = ACK_OK;
      }
      uint8_t ack[2] = {len ? body[0] : 0, status};
      link_send(MSG_LED_ACK, ack, sizeof ack);
      break;
    }
    case MSG_SETTINGS: {
      host_knows_v11 = 1;
      uint8_t status = len == 2 && keys_set_long_press(body[0] | (uint16_t)body[1] << 8) ? ACK_OK : ACK_REFUSED;
      link_send(MSG_SETTINGS_ACK, &status, 1);
      break;
    }
    default: /* heartbeats, and types from a newer host, only prove the host is alive */
      break;
  }
}

int main(void) {
  wdt_enable(WDTO_500MS);
  /* Timer0 CTC: 16 MHz / 64 / 250 = 1 kHz tick */
  TCCR0A = _BV(WGM01);
  OCR0A = 249;
  TIMSK0 = _BV(OCIE0A);
  TCCR0B = _BV(CS01) | _BV(CS00);
  keys_init();
  leds_init();
  uart_init();
  sei();
  send_hello();

  done_ms = now_ms();
  uint32_t next_heartbeat = done_ms + HEARTBEAT_MS;
  for (;;) {
    wdt_reset();
    int16_t byte;
    while ((byte = uart_getc()) >= 0) link_rx((uint8_t)byte, on_frame);
    uint32_t now = now_ms();
    keys_scan(now, send_key);
    while (done_ms != now) {
      done_ms++;
      uint8_t offline = done_ms - host_seen_ms > HOST_SILENT_MS;
      leds_render(done_ms, offline);
      if (done_ms == next_heartbeat) {
        next_heartbeat += HEARTBEAT_MS;
        send_heartbeat(offline);
      }
    }
  }
}
