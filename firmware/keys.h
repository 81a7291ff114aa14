#ifndef KEYS_H
#define KEYS_H
#include <stdint.h>

void keys_init(void);
/* called once per millisecond: debounces every key and calls emit for each press/release/long */
void keys_scan(void (*emit)(uint8_t kind, uint8_t key));

#endif
