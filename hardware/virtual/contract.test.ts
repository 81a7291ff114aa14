// The shared KeyPanel contract (test/support/panel-contract.ts) for the virtual panel as `--driver
// virtual` builds it (it reports long presses itself, but a plain press held past the time is still
// timed by the agent). Its edge is its own press/release API; it draws no LEDs itself (the terminal
// and the web page do), so the contract reads the pattern it was told. It has no device to lose.
import { expect } from 'vitest';
import { describePanelContract } from '../../test/support/panel-contract.js';
import { VirtualPanel } from './panel.js';

describePanelContract(
  'virtual (terminal / web page panel)',
  async () => {
    const panel = new VirtualPanel({ keys: 12, leds: 12 });
    return {
      panel,
      keys: 12,
      leds: 12,
      key: 5,
      press: (key) => panel.press(key),
      release: (key) => panel.release(key),
      pattern: (led) => panel.frame[led]?.pattern ?? 'off',
      // a key that is not on the panel, as a script or a hand-written request could send
      malformed: () => expect(() => panel.press(12)).toThrow(RangeError),
      settleMs: 0,
    };
  },
  { cannotUnplug: 'it is this process: it goes only when the agent closes it' },
);
