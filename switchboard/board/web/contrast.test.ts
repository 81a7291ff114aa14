// Every state colour of the board reads at 4.5:1 or more (WCAG 2.1 AA, 1.4.3) wherever the board
// puts it: as a row's label on each background that row can have, and under an icon's white symbol;
// a text field's edge at 3:1 (1.4.11).
// axe (test/e2e/accessibility.test.ts) sees only the reasons the demo happens to show; this holds
// every reason's colour to it from the style sheets themselves.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = ['style.css', 'controls.css']
  .map((f) => readFileSync(new URL(f, import.meta.url), 'utf8'))
  .join('\n');
const colour = (name: string): string => {
  const m = new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(css);
  if (!m?.[1]) throw new Error(`no --${name} in the board's style sheets`);
  return m[1];
};

/** WCAG's relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const ratio = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

const REASONS = ['lunch', 'meeting', 'trip', 'out', 'course', 'sick', 'vacation', 'gone'];
/** Each colour, and the backgrounds a label in it stands on: its row's own, and selected. */
const LABELS: [string, string[]][] = [
  ...REASONS.map((r): [string, string[]] => [`r-${r}`, ['away-bg', 'selected', 'panel']]),
  ['available', ['panel', 'available-bg', 'selected']],
  ['overdue', ['overdue-bg', 'selected', 'panel']],
  ['muted', ['panel', 'away-bg', 'overdue-bg', 'selected']],
];

describe('the board colours at 4.5:1', () => {
  it.each(LABELS)('--%s as text on each background it meets', (fg, backgrounds) => {
    for (const bg of backgrounds)
      expect(ratio(colour(fg), colour(bg)), `--${fg} on --${bg}`).toBeGreaterThanOrEqual(4.5);
  });

  it("a text field's edge at 3:1 on the panel (non-text contrast)", () => {
    expect(ratio(colour('field-border'), colour('panel'))).toBeGreaterThanOrEqual(3);
    expect(ratio(colour('field-border'), colour('bg'))).toBeGreaterThanOrEqual(3);
  });

  it.each([...REASONS.map((r) => `r-${r}`), 'available', 'overdue', 'unknown'])(
    '--%s under an icon\u2019s white symbol',
    (bg) => {
      expect(ratio('#ffffff', colour(bg))).toBeGreaterThanOrEqual(4.5);
    },
  );
});
