#ifndef KEYS_H
#define KEYS_H
#include <stdint.h>

void keys_init(void);
/* called every main-loop pass with the millisecond clock: debounces every key and calls emit for
 * each press/release/long */
void keys_scan(uint32_t now, void (*emit)(uint8_t kind, uint8_t key));
/* the host's long-press time (the organisation's setting); 0 and the old one stays if out of range */
uint8_t keys_set_long_press(uint16_t ms);

#endif
