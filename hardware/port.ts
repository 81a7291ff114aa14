// The one port every key-panel family sits behind: serial firmware, Firmata via johnny-five,
// USB HID, and the virtual panel. The agent speaks only this.

export type LedPattern = 'off' | 'on' | 'slow' | 'fast';
export type LedColor = 'red' | 'green' | 'amber' | 'blue' | 'white';

export interface LedState {
  pattern: LedPattern;
  /** only where the hardware has colour; single-colour panels ignore it */
  color?: LedColor;
}

/** Index = LED number on the panel. */
export type LedFrame = readonly LedState[];

/** Two frames light the same: every lamp's pattern and colour (the agent sends a panel only changes). */
export function sameFrame(a: LedFrame, b: LedFrame): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const l = a[i] as LedState;
    const m = b[i] as LedState;
    if (l.pattern !== m.pattern || l.color !== m.color) return false;
  }
  return true;
}

/** `long` comes from panels that detect long presses themselves (our firmware); others send press/release. */
export interface KeyEvent {
  type: 'press' | 'release' | 'long';
  key: number;
  /** the panel's own event counter, where it has one, to spot lost events */
  seq?: number;
}

export interface PanelDescription {
  hardwareId: string;
  model: string;
  keys: number;
  leds: number;
  firmware?: string;
  /** the panel reports `long` itself; otherwise the agent times press → release */
  reportsLongPress: boolean;
  colors: boolean;
}

export interface PanelListener {
  key(event: KeyEvent): void;
  /** the panel came (back) or went; drivers replay the last frame themselves after a reconnect */
  connection(connected: boolean, description?: PanelDescription): void;
  /** bad bytes, a bad report, a lost device: counted and logged by the agent, never thrown */
  fault(error: Error): void;
}

/** What a key with its own display (Stream Deck) shows besides its lamp colour. */
export interface KeyFace {
  /** the key's action: the reason's label, "+15 min", ... */
  text: string;
  /** a second line: the return time while the key's reason is the one in force */
  detail?: string;
}

/** What a panel that times its own keys needs from the organisation's settings. */
export interface PanelSettings {
  longPressMs: number;
}

export interface KeyPanel {
  /** Starts the driver. Resolves once it is running, even when the device is not (yet) attached. */
  open(listener: PanelListener): Promise<void>;
  /** Shows a frame; the driver keeps it and replays it after every reconnect or device reset. */
  show(frame: LedFrame): void;
  /** Panels whose keys are displays draw these (index = key number); others do not have it. */
  label?(faces: readonly KeyFace[]): void;
  /** Panels that time long presses themselves take the organisation's time here; the driver keeps it
   * and replays it after every reconnect, like the frame. Panels the agent times ignore it. */
  configure?(settings: PanelSettings): void;
  close(): Promise<void>;
}
