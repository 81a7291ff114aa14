/* Interrupt-driven USART0: rings in both directions, so the main loop never waits on the wire. */
#include "uart.h"

#include <avr/interrupt.h>
#include <avr/io.h>
#include <util/atomic.h>

#include "panel_config.h"

#define RX_SIZE 64 /* powers of two: the index wraps with a mask */
#define TX_SIZE 64

static volatile uint8_t rx_buf[RX_SIZE];
static volatile uint8_t rx_head, rx_tail;
static volatile uint8_t tx_buf[TX_SIZE];
static volatile uint8_t tx_head, tx_tail;
volatile uint8_t uart_rx_overruns;
volatile uint8_t uart_rx_errors;

void uart_init(void) {
  UBRR0H = (uint8_t)(UART_UBRR >> 8);
  UBRR0L = (uint8_t)UART_UBRR;
  UCSR0A = _BV(U2X0);
  UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);
  UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0);
}

ISR(USART_RX_vect) {
  /* the flags belong to the byte in UDR0, so they are read before it: FE0 says this byte arrived
   * garbled (it is dropped, not passed to the framer), DOR0 that one before it was lost */
  uint8_t flags = UCSR0A;
  uint8_t byte = UDR0;
  if (flags & (_BV(FE0) | _BV(DOR0))) uart_rx_errors++;
  if (flags & _BV(FE0)) return;
  uint8_t next = (rx_head + 1) & (RX_SIZE - 1);
  if (next == rx_tail) {
    uart_rx_overruns++;
    return;
  }
  rx_buf[rx_head] = byte;
  rx_head = next;
}

int16_t uart_getc(void) {
  if (rx_tail == rx_head) return -1;
  uint8_t byte = rx_buf[rx_tail];
  rx_tail = (rx_tail + 1) & (RX_SIZE - 1);
  return byte;
}

/* The interrupt is switched off with the last byte, not on an empty ring: that saves an interrupt,
 * and avr8js (unlike the silicon) clears UDRE when it services the interrupt. */
ISR(USART_UDRE_vect) {
  UDR0 = tx_buf[tx_tail];
  tx_tail = (tx_tail + 1) & (TX_SIZE - 1);
  if (tx_tail == tx_head) UCSR0B &= ~_BV(UDRIE0);
}

void uart_putc(uint8_t byte) {
  uint8_t next = (tx_head + 1) & (TX_SIZE - 1);
  while (next == tx_tail) {
  }
  /* atomic: the interrupt must not see the new head with UDRIE still off, or the reverse */
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    tx_buf[tx_head] = byte;
    tx_head = next;
    UCSR0B |= _BV(UDRIE0);
  }
}
