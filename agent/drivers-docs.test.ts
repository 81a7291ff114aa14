// One list of drivers (issue 13): what `hanvisa agent --help` offers, the registry's keys and what the
// docs name are the same, and every driver has its device page with a key map, its udev rule (or why
// it needs none) and, for panels built from wires, the wiring.
import { describe, expect, it } from 'vitest';
import { udevRules } from '../hardware/udev.js';
import { readDoc } from '../test/support/doc-text.js';
import { helpCheck } from '../test/support/help-check.js';
import { DRIVERS, driverNames } from './drivers.js';

const names = driverNames();

/** The `--driver a|b|c` alternatives in a usage line. */
function driverChoice(text: string, where: string): string[] {
  const match = /--driver ([a-z|]+)\]/.exec(text);
  if (!match?.[1]) throw new Error(`${where} shows no --driver a|b|… choice`);
  return match[1].split('|');
}

/** The headings of a markdown page, lower case. */
const headings = (markdown: string) =>
  markdown
    .split('\n')
    .filter((l) => l.startsWith('#'))
    .map((l) => l.toLowerCase());

/** Which drivers run a panel someone wires up themselves; every driver must be classified here. */
const WIRED: Record<string, boolean> = {
  virtual: false,
  serial: true,
  hid: false,
  firmata: true,
  gpio: true,
  streamdeck: false,
};

describe('the driver list', () => {
  it('is the same in --help, the registry, docs/agent.md and README.md', async () => {
    const { output } = await helpCheck('agent', []);
    expect(driverChoice(output, '--help')).toEqual(names);
    // and each driver has its own line in the help, with its device page
    for (const entry of DRIVERS)
      expect(output).toMatch(new RegExp(`^ +${entry.type} +.*\\(${entry.doc}\\)$`, 'm'));
    const agentDoc = readDoc('docs/agent.md');
    expect(driverChoice(agentDoc, 'docs/agent.md')).toEqual(names);
    for (const name of names) expect(agentDoc).toContain(`{type:"${name}"`);
    expect(driverChoice(readDoc('README.md'), 'README.md')).toEqual(names);
  });

  it('classifies every driver as wired or not (a new driver is added here too)', () => {
    expect(Object.keys(WIRED).sort()).toEqual([...names].sort());
  });
});

describe.each(DRIVERS.map((d) => [d.type, d] as const))('the %s driver’s device page', (name, { doc }) => {
  const text = readDoc(doc);
  const heads = headings(text);

  it(`${doc} has a key map`, () => {
    expect(heads.some((h) => h.includes('key map'))).toBe(true);
  });

  it(`${doc} has the udev rule the installer ships, or says why there is none`, () => {
    expect(heads.some((h) => h.includes('udev'))).toBe(true);
    const shipped = udevRules()
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    const shown = shipped.filter((rule) => text.includes(rule));
    if (name === 'virtual') expect(text).toMatch(/no udev rule/);
    // the HID page shows the X-keys rule in its own spelling (SUBSYSTEM=="hidraw") as a template
    else if (name === 'hid') expect(text).toMatch(/hidraw.*05f3/);
    else expect(shown.length).toBeGreaterThan(0);
  });
});

describe.each(names.filter((n) => WIRED[n]))('the %s driver’s panel, built from wires', (name) => {
  it('has its wiring on its device page', () => {
    expect(
      headings(readDoc(DRIVERS.find((d) => d.type === name)?.doc ?? '')).some((h) => h.includes('wiring')),
    ).toBe(true);
  });
});
