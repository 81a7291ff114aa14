/* Pin map, counts and timing of the hanvisa key panel (model "hanvisa-8k8l").
 * The one place the wiring is defined: hardware/profiles/hanvisa-8k8l.ts and
 * docs/panel-wiring.md describe the same pins and must change with this file. */
#ifndef PANEL_CONFIG_H
#define PANEL_CONFIG_H

#include <avr/io.h>

#define FW_VERSION_MAJOR 1
#define FW_VERSION_MINOR 1
#define FW_VERSION_PATCH 0

#define KEY_COUNT 8
#define LED_COUNT 8

/* Keys: momentary switch from the pin to GND, internal pull-up, so pressed reads 0.
 * Index = key number reported on the wire. */
#define KEY_PINS                                                                          \
  {                                                                                       \
    {&PIND, &PORTD, PD2}, {&PIND, &PORTD, PD3}, {&PIND, &PORTD, PD4}, {&PIND, &PORTD, PD5}, \
        {&PIND, &PORTD, PD6}, {&PIND, &PORTD, PD7}, {&PINB, &PORTB, PB0}, {&PINB, &PORTB, PB1} \
  }

/* LEDs: pin -> resistor -> LED anode, cathode to GND, so lit = pin high.
 * Index = LED number in an LED frame. */
#define LED_PINS                                                                                      \
  {                                                                                                   \
    {&DDRC, &PORTC, PC0}, {&DDRC, &PORTC, PC1}, {&DDRC, &PORTC, PC2}, {&DDRC, &PORTC, PC3},             \
        {&DDRC, &PORTC, PC4}, {&DDRC, &PORTC, PC5}, {&DDRB, &PORTB, PB2}, {&DDRB, &PORTB, PB3}          \
  }

/* UART on PD0 (RXD) / PD1 (TXD): 250000 baud, 8N1. U2X with UBRR 7 is exact at 16 MHz. */
#define UART_BAUD 250000UL
#define UART_UBRR (F_CPU / 8 / UART_BAUD - 1)

#define DEBOUNCE_MS 20    /* a key must read the same for this long before it counts */
#define LONG_PRESS_MS 800 /* held this long -> one "long" event (then "release" on let go) */
#define LONG_PRESS_MIN_MS 300  /* the range the host may set (MSG_SETTINGS) */
#define LONG_PRESS_MAX_MS 5000
#define SLOW_HALF_MS 500  /* slow blink: 1 Hz */
#define FAST_HALF_MS 125  /* fast blink: 4 Hz */
#define HEARTBEAT_MS 1000 /* panel -> host heartbeat period */
#define HOST_SILENT_MS 3000 /* no valid frame from the host this long -> offline pattern */

#endif
