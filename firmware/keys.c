/* Debounce by integration: a key changes state only after it has read the new level on
 * DEBOUNCE_MS consecutive 1 ms samples, so bounce shorter than that never reaches the host. */
#include "keys.h"

#include "panel_config.h"
#include "protocol.h"

typedef struct {
  volatile uint8_t *pin;
  volatile uint8_t *port;
  uint8_t bit;
} key_pin;

static const key_pin pins[KEY_COUNT] = KEY_PINS;

static uint8_t pressed[KEY_COUNT];   /* debounced state */
static uint8_t settle[KEY_COUNT];    /* consecutive samples that disagree with it */
static uint16_t held_ms[KEY_COUNT];  /* time pressed, saturating at LONG_PRESS_MS */

void keys_init(void) {
  for (uint8_t i = 0; i < KEY_COUNT; i++) *pins[i].port |= _BV(pins[i].bit); /* pull-up */
}

void keys_scan(void (*emit)(uint8_t kind, uint8_t key)) {
  for (uint8_t i = 0; i < KEY_COUNT; i++) {
    uint8_t down = !(*pins[i].pin & _BV(pins[i].bit));
    if (down == pressed[i]) {
      settle[i] = 0;
    } else if (++settle[i] >= DEBOUNCE_MS) {
      settle[i] = 0;
      pressed[i] = down;
      held_ms[i] = 0;
      emit(down ? KEY_PRESS : KEY_RELEASE, i);
    }
    if (pressed[i] && held_ms[i] < LONG_PRESS_MS && ++held_ms[i] == LONG_PRESS_MS) emit(KEY_LONG, i);
  }
}
