#ifndef UART_H
#define UART_H
#include <stdint.h>

void uart_init(void);
/* next received byte, or -1 when none is waiting */
int16_t uart_getc(void);
/* queues a byte; waits for room when the transmit ring is full */
void uart_putc(uint8_t byte);
/* bytes lost because the receive ring was full */
extern volatile uint8_t uart_rx_overruns;
/* bytes the USART itself marked bad: framing errors (noise, a wrong baud rate) and hardware overruns */
extern volatile uint8_t uart_rx_errors;

#endif
