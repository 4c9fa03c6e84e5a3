// Time charts (uPlot, from its WebJar) over UTC days, each with its data as a table underneath
// (in a <details>), so what a chart shows can also be read by a screen reader or copied.
import { el, table } from './dom.js';

export const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

/** Every UTC day from 'from' to 'to' (2026-11-01), inclusive. */
export function daysBetween(from, to) {
  const out = [];
  for (let t = Date.parse(from + 'T00:00:00Z'); t <= Date.parse(to + 'T00:00:00Z'); t += 86400000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * A chart of one value per day for each series.
 * spec: { id, title, days: ['2026-11-01', ...], series: [{ label, values: [...] }], format: v → text, bars }
 */
export function dayChart(spec) {
  const figure = el('figure', { class: 'chart', id: spec.id, 'aria-labelledby': spec.id + '-title' });
  const caption = el('figcaption', { id: spec.id + '-title' }, spec.title);
  const plot = el('div', { class: 'plot', role: 'img', 'aria-label': spec.title + ': chart by UTC day; the data is in the table below it' });
  const hasData = spec.series.some(s => s.values.some(v => v));
  const data = el('details', { class: 'chart-data' }, el('summary', {}, 'Data as a table'),
    table([{ label: 'Day (UTC)', value: r => r.day },
      ...spec.series.map((s, i) => ({ label: s.label, num: true, value: r => spec.format(r.values[i]) }))],
    spec.days.map((day, d) => ({ day, values: spec.series.map(s => s.values[d]) })).reverse(),
    { empty: 'No days in this range.' }));
  figure.append(caption, hasData ? plot : el('p', { class: 'empty chart-empty' }, 'Nothing recorded in this range yet.'), data);
  if (hasData) draw(plot, spec);
  return figure;
}

/** Room for the longest value label of the y axis (uPlot passes the formatted labels). */
function axisWidth(u, values) {
  const longest = (values || []).reduce((m, v) => Math.max(m, String(v).length), 0);
  return Math.max(40, Math.ceil(longest * 7.5) + 18);
}

function draw(plot, spec) {
  if (!window.uPlot) {
    plot.append(el('p', { class: 'notice error' }, 'The chart library did not load; the data is in the table below.'));
    return;
  }
  const xs = spec.days.map(d => Date.parse(d + 'T00:00:00Z') / 1000);
  const bars = spec.bars && window.uPlot.paths && window.uPlot.paths.bars ? window.uPlot.paths.bars({ size: [0.6, 40] }) : null;
  const opts = {
    width: 600,
    height: 220,
    tzDate: ts => window.uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true } },
    axes: [
      { values: (u, ticks) => ticks.map(t => new Date(t * 1000).toISOString().slice(5, 10)) },
      { size: axisWidth, values: (u, ticks) => ticks.map(t => spec.format(t)) },
    ],
    legend: { live: true },
    cursor: { points: { size: 6 } },
    series: [
      { label: 'Day (UTC)', value: (u, v) => v === null || v === undefined ? '–' : new Date(v * 1000).toISOString().slice(0, 10) },
      ...spec.series.map((s, i) => ({
        label: s.label,
        stroke: COLORS[i % COLORS.length],
        fill: bars ? COLORS[i % COLORS.length] + '99' : null,
        width: 2,
        paths: bars || undefined,
        points: { show: spec.days.length <= 45 },
        value: (u, v) => v === null || v === undefined ? '–' : spec.format(v),
      })),
    ],
  };
  const chart = new window.uPlot(opts, [xs, ...spec.series.map(s => s.values)], plot);
  const fit = () => {
    const width = Math.max(280, Math.floor(plot.getBoundingClientRect().width));
    if (width && Math.abs(width - chart.width) > 2) chart.setSize({ width, height: 220 });
  };
  requestAnimationFrame(fit);
  if (window.ResizeObserver) new ResizeObserver(fit).observe(plot);
}

/**
 * Rows of a report grouped by day and one other field, as one series per value of that field:
 * the `top` largest by `metric` summed over the range, the rest as "other".
 */
export function seriesBy(rows, days, field, metric, top = 6, label = v => v) {
  const totals = new Map();
  for (const r of rows) totals.set(r[field], (totals.get(r[field]) || 0) + Number(r[metric]));
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]);
  const kept = ranked.slice(0, top).map(e => e[0]);
  const other = ranked.length > top;
  const index = new Map(days.map((d, i) => [d, i]));
  const series = kept.map(k => ({ label: label(k) ?? '(none)', values: days.map(() => 0) }));
  if (other) series.push({ label: 'other', values: days.map(() => 0) });
  for (const r of rows) {
    const d = index.get(r.day);
    if (d === undefined) continue;
    const k = kept.indexOf(r[field]);
    const s = k >= 0 ? series[k] : series[series.length - 1];
    s.values[d] += Number(r[metric]);
  }
  return series;
}
