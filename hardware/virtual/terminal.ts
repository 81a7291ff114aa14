// The virtual panel in a terminal: keys 1-9, 0, -, = (or q…]) press panel keys 0-11; with Shift (!, @, …
// or Q…) they are long presses. LEDs are drawn as text, `[●Lunch] [○Sjuk]`, blinking while any LED
// blinks (an animation timer runs only then). Ctrl-C or Ctrl-D asks to quit.
import { FAST_HALF_MS, litAt } from '../blink.js';
import type { LedFrame } from '../port.js';
import type { VirtualPanel } from './panel.js';

const TAP_ROWS = ['1234567890-=', 'qwertyuiop[]'];
const HOLD_ROWS = ['!@#$%^&*()_+', 'QWERTYUIOP{}'];

/** The panel key and gesture a typed character stands for, if any. */
export function keyForChar(ch: string): { key: number; long: boolean } | undefined {
  for (const row of TAP_ROWS) if (row.includes(ch)) return { key: row.indexOf(ch), long: false };
  for (const row of HOLD_ROWS) if (row.includes(ch)) return { key: row.indexOf(ch), long: true };
  return undefined;
}

const ANSI: Record<string, string> = { red: '31', green: '32', amber: '33', blue: '34', white: '37' };

/** One line of LEDs with their captions; `color` adds ANSI colours. Pure, for tests and the UI. */
export function drawFrame(
  frame: LedFrame,
  labels: readonly string[],
  phaseMs: number,
  color = false,
): string {
  return frame
    .map((led, i) => {
      const on = litAt(led.pattern, phaseMs);
      const dot = on ? '●' : '○';
      const mark = color && on && led.color ? `\x1b[${ANSI[led.color]}m${dot}\x1b[0m` : dot;
      return `[${mark}${labels[i] || i}]`;
    })
    .join(' ');
}

export interface TerminalOptions {
  panel: VirtualPanel;
  label: string;
  keyLabels: readonly string[];
  ledLabels: readonly string[];
  input?: NodeJS.ReadStream;
  output?: NodeJS.WriteStream;
  onQuit(): void;
}

export interface Terminal {
  /** A log line, printed above the LED line (which is drawn again below it) so that line stays whole. */
  log(line: string): void;
  /** New captions (IT pushed another layout): the key help is printed again if it changed, the LEDs redrawn. */
  caption(keyLabels: readonly string[], ledLabels: readonly string[]): void;
  close(): void;
}

export function startTerminal(options: TerminalOptions): Terminal {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const { panel } = options;
  const color = output.isTTY === true;
  let animation: NodeJS.Timeout | undefined;
  const started = Date.now();

  const helpFor = (keyLabels: readonly string[]) =>
    keyLabels
      .map((label, i) => (label ? `${TAP_ROWS[0]?.[i] ?? '?'} ${label}` : ''))
      .filter(Boolean)
      .join('   ');
  let help = helpFor(options.keyLabels);
  let ledLabels = options.ledLabels;

  const draw = () => {
    const line = drawFrame(panel.frame, ledLabels, Date.now() - started, color);
    output.write(color ? `\r\x1b[2K${line}` : `${line}\n`);
  };

  const onFrame = (frame: LedFrame) => {
    const blinking = frame.some((l) => l.pattern === 'slow' || l.pattern === 'fast');
    if (blinking && !animation && color) animation = setInterval(draw, FAST_HALF_MS);
    if (!blinking && animation) {
      clearInterval(animation);
      animation = undefined;
    }
    draw();
  };

  const onData = (data: Buffer | string) => {
    for (const ch of data.toString()) {
      if (ch === '\u0003' || ch === '\u0004') {
        options.onQuit();
        return;
      }
      const hit = keyForChar(ch);
      if (!hit || hit.key >= panel.description.keys) continue;
      if (hit.long && panel.description.reportsLongPress) panel.hold(hit.key);
      else panel.tap(hit.key);
    }
  };

  output.write(`${options.label}\n${help}\nShift = håll inne / hold · Ctrl-C = avsluta / quit\n`);
  if (input.isTTY) input.setRawMode(true);
  input.on('data', onData);
  input.resume();
  panel.on('frame', onFrame);
  onFrame(panel.frame);

  const log = (line: string) => {
    output.write(`${color ? '\r\x1b[2K' : ''}${line.endsWith('\n') ? line : `${line}\n`}`);
    if (color) draw();
  };

  return {
    log,
    caption(keyLabels, leds) {
      const next = helpFor(keyLabels);
      const redraw = leds.join('\u0000') !== ledLabels.join('\u0000');
      ledLabels = leds;
      if (next !== help) {
        help = next;
        log(help); // draws the LEDs too
      } else if (redraw) draw();
    },
    close() {
      panel.off('frame', onFrame);
      if (animation) clearInterval(animation);
      input.off('data', onData);
      if (input.isTTY) input.setRawMode(false);
      input.pause();
      output.write('\n');
    },
  };
}
