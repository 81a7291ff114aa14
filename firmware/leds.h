#ifndef LEDS_H
#define LEDS_H
#include <stdint.h>

#include "panel_config.h"

void leds_init(void);
/* sets every LED's pattern (LED_OFF/ON/SLOW/FAST) */
void leds_set(const uint8_t patterns[LED_COUNT]);
/* drives the pins for time `now_ms`; offline overrides the frame with the offline pattern */
void leds_render(uint32_t now_ms, uint8_t offline);

#endif
