import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualPanel } from './panel.js';
import { drawFrame, keyForChar, startTerminal } from './terminal.js';

describe('terminal panel', () => {
  it('maps the number row to keys 0-11 and its shifted row to long presses', () => {
    expect(keyForChar('1')).toEqual({ key: 0, long: false });
    expect(keyForChar('=')).toEqual({ key: 11, long: false });
    expect(keyForChar('!')).toEqual({ key: 0, long: true });
    expect(keyForChar('W')).toEqual({ key: 1, long: true });
    expect(keyForChar('z')).toBeUndefined();
  });

  it('draws LEDs as text; blinking LEDs alternate within their period', () => {
    const frame = [{ pattern: 'on' as const }, { pattern: 'off' as const }, { pattern: 'slow' as const }];
    expect(drawFrame(frame, ['Lunch', 'Sjuk', 'Möte'], 0)).toBe('[●Lunch] [○Sjuk] [●Möte]');
    expect(drawFrame(frame, ['Lunch', 'Sjuk', 'Möte'], 600)).toBe('[●Lunch] [○Sjuk] [○Möte]');
    fc.assert(
      fc.property(fc.nat(), (t) => {
        const on = drawFrame([{ pattern: 'on' }], [''], t);
        const off = drawFrame([{ pattern: 'off' }], [''], t);
        return on === '[●0]' && off === '[○0]';
      }),
    );
  });

  it('typed keys press panel keys, Ctrl-C quits, and it redraws on every new frame', () => {
    const panel = new VirtualPanel();
    const events: string[] = [];
    void panel.open({
      key: (e) => events.push(`${e.type}:${e.key}`),
      connection: () => {},
      fault: () => {},
    });
    const input = new PassThrough() as unknown as NodeJS.ReadStream;
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => {
      text += d;
    });
    let quit = 0;
    const term = startTerminal({
      panel,
      label: 'desk',
      keyLabels: ['Öppen'],
      ledLabels: ['Tillgänglig'],
      input,
      output: out as unknown as NodeJS.WriteStream,
      onQuit: () => quit++,
    });
    input.emit('data', Buffer.from('2@z'));
    expect(events).toEqual(['press:1', 'release:1', 'press:1', 'long:1', 'release:1']);
    panel.show([{ pattern: 'on', color: 'green' }]);
    expect(text).toContain('[●Tillgänglig]');
    input.emit('data', Buffer.from('\u0003'));
    expect(quit).toBe(1);
    term.close();
  });

  it('prints a log line above the LED line, which is drawn again whole below it', () => {
    const panel = new VirtualPanel();
    const out = Object.assign(new PassThrough(), { isTTY: true });
    let text = '';
    out.on('data', (d) => {
      text += d;
    });
    const term = startTerminal({
      panel,
      label: 'desk',
      keyLabels: ['Öppen'],
      ledLabels: ['Tillgänglig'],
      input: new PassThrough() as unknown as NodeJS.ReadStream,
      output: out as unknown as NodeJS.WriteStream,
      onQuit: () => {},
    });
    panel.show([{ pattern: 'on', color: 'green' }]);
    text = '';
    term.log('{"msg":"link"}\n');
    expect(text).toBe('\r\x1b[2K{"msg":"link"}\n\r\x1b[2K[\x1b[32m●\x1b[0mTillgänglig]');
    // a pushed layout: the new key help above, the LED line with its new captions below
    text = '';
    term.caption(['', 'Lunch'], ['Meddelande']);
    expect(text).toBe('\r\x1b[2K2 Lunch\n\r\x1b[2K[\x1b[32m●\x1b[0mMeddelande]');
    text = '';
    term.caption(['', 'Lunch'], ['Meddelande']);
    expect(text).toBe('');
    term.close();
  });
});
