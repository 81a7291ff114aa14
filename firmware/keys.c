/* Debounce by elapsed time, as QMK does: a key changes state once its pin has read the new level
 * for DEBOUNCE_MS of the millisecond clock since its last raw change. Counting samples instead
 * would let a main-loop stall accept a bounce: the loop then catches up on many milliseconds at one
 * instant and every catch-up sample sees the same level. Keys are sampled once per loop pass. */
#include "keys.h"

#include "panel_config.h"
#include "protocol.h"

typedef struct {
  volatile uint8_t *pin;
  volatile uint8_t *port;
  uint8_t bit;
} key_pin;

static const key_pin pins[KEY_COUNT] = KEY_PINS;

static uint8_t pressed[KEY_COUNT];     /* debounced state */
static uint8_t raw[KEY_COUNT];         /* the level last read */
/* 16-bit times: the intervals compared are far below the 65 s at which they wrap */
static uint16_t raw_since[KEY_COUNT];  /* when the raw level last changed */
static uint16_t pressed_at[KEY_COUNT]; /* when the debounced press began */
static uint8_t long_sent[KEY_COUNT];
static uint16_t long_press_ms = LONG_PRESS_MS;

void keys_init(void) {
  for (uint8_t i = 0; i < KEY_COUNT; i++) *pins[i].port |= _BV(pins[i].bit); /* pull-up */
}

uint8_t keys_set_long_press(uint16_t ms) {
  if (ms < LONG_PRESS_MIN_MS || ms > LONG_PRESS_MAX_MS) return 0;
  long_press_ms = ms;
  return 1;
}

void keys_scan(uint32_t now_ms, void (*emit)(uint8_t kind, uint8_t key)) {
  uint16_t now = (uint16_t)now_ms;
  for (uint8_t i = 0; i < KEY_COUNT; i++) {
    uint8_t down = !(*pins[i].pin & _BV(pins[i].bit));
    if (down != raw[i]) {
      raw[i] = down;
      raw_since[i] = now;
    } else if (down != pressed[i] && (uint16_t)(now - raw_since[i]) >= DEBOUNCE_MS) {
      pressed[i] = down;
      pressed_at[i] = now;
      long_sent[i] = 0;
      emit(down ? KEY_PRESS : KEY_RELEASE, i);
    }
    if (pressed[i] && !long_sent[i] && (uint16_t)(now - pressed_at[i]) >= long_press_ms) {
      long_sent[i] = 1;
      emit(KEY_LONG, i);
    }
  }
}
