/* Framing: COBS + CRC-16 over "version, type, body"; a 0x00 before and after every frame. */
#ifndef LINK_H
#define LINK_H
#include <stdint.h>

/* one received, checked frame: type and body (version and CRC already stripped) */
typedef void (*link_handler)(uint8_t type, const uint8_t *body, uint8_t len);

/* feeds one byte from the wire; calls the handler for each good frame */
void link_rx(uint8_t byte, link_handler handler);
/* frames and queues a message for the UART */
void link_send(uint8_t type, const uint8_t *body, uint8_t len);
/* frames dropped: bad COBS, CRC, version, too long */
extern uint16_t link_bad_frames;

#endif
