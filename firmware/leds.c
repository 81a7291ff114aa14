/* LED patterns are rendered here from the millisecond clock, so blinking never depends on the
 * host; all LEDs share one phase, so two blinking LEDs blink together. */
#include "leds.h"

#include "protocol.h"

typedef struct {
  volatile uint8_t *ddr;
  volatile uint8_t *port;
  uint8_t bit;
} led_pin;

static const led_pin pins[LED_COUNT] = LED_PINS;
static uint8_t pattern[LED_COUNT];

void leds_init(void) {
  for (uint8_t i = 0; i < LED_COUNT; i++) *pins[i].ddr |= _BV(pins[i].bit);
}

void leds_set(const uint8_t patterns[LED_COUNT]) {
  for (uint8_t i = 0; i < LED_COUNT; i++) pattern[i] = patterns[i];
}

void leds_render(uint32_t now_ms, uint8_t offline) {
  uint8_t slow = (now_ms / SLOW_HALF_MS) & 1 ? 0 : 1;
  uint8_t fast = (now_ms / FAST_HALF_MS) & 1 ? 0 : 1;
  for (uint8_t i = 0; i < LED_COUNT; i++) {
    uint8_t lit;
    if (offline) {
      lit = slow ^ (i & 1); /* even and odd LEDs alternate: no host frame can look like this */
    } else {
      switch (pattern[i]) {
        case LED_ON: lit = 1; break;
        case LED_SLOW: lit = slow; break;
        case LED_FAST: lit = fast; break;
        default: lit = 0;
      }
    }
    if (lit) *pins[i].port |= _BV(pins[i].bit);
    else *pins[i].port &= ~_BV(pins[i].bit);
  }
}
