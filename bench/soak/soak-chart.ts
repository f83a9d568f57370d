// The soak report as a picture: one SVG with a panel per series over the run's minutes (several
// lines in a panel share its scale), the warm-up shaded, and the least-squares line of a series
// drawn where its verdict rests on one. A flat memory line is easier to believe seen than read.
import { leastSquares, type Point } from './trend.js';

export interface ChartLine {
  readonly label: string;
  readonly points: readonly Point[];
  /** Draw the least-squares line of the points after the warm-up. */
  readonly trend?: boolean;
}

export interface ChartPanel {
  readonly title: string;
  readonly unit: string;
  /** Scale from the data's own low, not 0: a 2 % change in 10,000 descriptors must show. */
  readonly fromLow?: boolean;
  readonly lines: readonly ChartLine[];
}

const WIDTH = 900;
const PANEL_HEIGHT = 150;
const LEFT = 70;
const RIGHT = 20;
const TOP = 28;
const GAP = 46;
const COLOURS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700'];

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const round = (n: number) => Number(n.toFixed(1));
const label = (n: number) => (n === 0 || Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3));

export function soakChart(
  title: string,
  panels: readonly ChartPanel[],
  runSeconds: number,
  warmupSeconds: number,
): string {
  const height = TOP + panels.length * (PANEL_HEIGHT + GAP);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const x = (t: number) => LEFT + (t / Math.max(1, runSeconds)) * plotWidth;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${LEFT}" y="16" font-size="13" font-weight="bold">${escape(title)}</text>`,
  ];
  panels.forEach((panel, p) => {
    const top = TOP + GAP / 2 + p * (PANEL_HEIGHT + GAP);
    const values = panel.lines.flatMap((l) => l.points.map((q) => q.value));
    const least = Math.min(...values);
    const most = Math.max(...values);
    const low = panel.fromLow ? least - (most - least) * 0.05 : Math.min(0, least);
    const high = Math.max(most + (most - low) * 0.05, low + 1);
    const y = (v: number) => top + PANEL_HEIGHT - ((v - low) / (high - low)) * PANEL_HEIGHT;
    parts.push(
      `<text x="${LEFT}" y="${top - 6}" font-weight="bold">${escape(panel.title)} (${escape(panel.unit)})</text>`,
      `<rect x="${LEFT}" y="${top}" width="${round(x(warmupSeconds) - LEFT)}" height="${PANEL_HEIGHT}" fill="#f3f3f3"/>`,
      `<rect x="${LEFT}" y="${top}" width="${plotWidth}" height="${PANEL_HEIGHT}" fill="none" stroke="#999"/>`,
      `<text x="${LEFT - 6}" y="${top + 4}" text-anchor="end">${label(high)}</text>`,
      `<text x="${LEFT - 6}" y="${top + PANEL_HEIGHT}" text-anchor="end">${label(low)}</text>`,
      `<text x="${WIDTH - RIGHT}" y="${top + PANEL_HEIGHT + 14}" text-anchor="end">${(runSeconds / 60).toFixed(1)} min</text>`,
      `<text x="${LEFT}" y="${top + PANEL_HEIGHT + 14}">0</text>`,
    );
    panel.lines.forEach((line, l) => {
      const colour = COLOURS[l % COLOURS.length]!;
      const path = line.points.map((q) => `${round(x(q.t))},${round(y(q.value))}`).join(' ');
      parts.push(
        `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="1.5"/>`,
        `<text x="${WIDTH - RIGHT - 4}" y="${top + 14 + l * 13}" text-anchor="end" fill="${colour}">${escape(line.label)}</text>`,
      );
      const fitted = line.points.filter((q) => q.t >= warmupSeconds);
      if (line.trend && fitted.length >= 2 && fitted[0]!.t !== fitted.at(-1)!.t) {
        const { slope, intercept } = leastSquares(fitted);
        const from = fitted[0]!.t;
        const to = fitted.at(-1)!.t;
        parts.push(
          `<line x1="${round(x(from))}" y1="${round(y(intercept + slope * from))}" x2="${round(x(to))}" y2="${round(y(intercept + slope * to))}" stroke="black" stroke-dasharray="5 3"/>`,
        );
      }
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}
