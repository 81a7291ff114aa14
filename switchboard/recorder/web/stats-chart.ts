// The statistics page's bar charts: uPlot (loaded by stats.html as a classic script: window.uPlot),
// each as wide as its box, refitted on every resize.
import type UPlot from 'uplot';
import { $, num, t } from './stats-dom.js';

declare global {
  interface Window {
    /** loaded by stats.html as a classic script, beside the bundle */
    uPlot?: typeof UPlot;
  }
}

const charts: UPlot[] = [];

/** A chart's series: what it counts and the unit its values are in (a text key: minutesUnit, countUnit). */
interface Series {
  label: string;
  unit: string;
  values: (number | null)[];
}

export function chart(target: string, labels: string[], series: Series[]) {
  const node = $(target);
  node.replaceChildren();
  const uPlot = window.uPlot;
  if (!uPlot || labels.length === 0) return;
  const bars = uPlot.paths.bars?.({ size: [0.6, 60] });
  const colors = ['#c0392b', '#2471a3', '#d68910', '#7d3c98'];
  const plot = new uPlot(
    {
      width: chartWidth(node),
      height: 220,
      scales: { x: { time: false } },
      axes: [
        { values: (_u, splits) => splits.map((i) => labels[i] ?? '') },
        { values: (_u, splits) => splits.map((v) => num(v)) },
      ],
      // the legend names the period and each value with its unit, never uPlot's bare "Value"
      series: [
        { label: t('period'), value: (_u, i) => (i === null ? '–' : (labels[i] ?? '')) },
        ...series.map((s, i) => ({
          label: s.label,
          value: (_u: UPlot, v: number | null) => (v === null ? '–' : t(s.unit, { v: num(v) })),
          stroke: colors[i],
          fill: `${colors[i]}66`,
          paths: bars,
        })),
      ],
    },
    [labels.map((_, i) => i), ...series.map((s) => s.values)],
    node,
  );
  charts.push(plot);
}

/** A chart as wide as its box allows (at most 560 px), so a narrow window never scrolls sideways. */
const chartWidth = (box: HTMLElement) => Math.min(560, box.clientWidth || 320);

/**
 * After a render and on every resize: the charts follow their boxes, and a table box that scrolls
 * sideways takes the keyboard's focus, so arrow keys can scroll it.
 */
export function fitToWindow() {
  for (const plot of charts) {
    const box = plot.root.parentElement;
    if (box) plot.setSize({ width: chartWidth(box), height: plot.height });
  }
  for (const box of document.querySelectorAll<HTMLElement>('.scroll'))
    if (box.scrollWidth > box.clientWidth) box.tabIndex = 0;
    else box.removeAttribute('tabindex');
}
