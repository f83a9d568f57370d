import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { TableWrap } from '../ui/widgets.js';

export interface ChartSeries {
  readonly label: string;
  readonly values: (number | null)[];
}

// Distinct hues that keep 3:1 against white (non-text contrast, WCAG 1.4.11).
const COLOURS = ['#0b5394', '#a4161a', '#1d6b32', '#8a4b00', '#5b2a86', '#00606b'];

/**
 * A time-series chart (uPlot, canvas) with its numbers also in a table for screen readers and
 * keyboard users: a canvas alone says nothing to either.
 */
export function TimeChart(props: {
  title: string;
  unit: string;
  times: number[];
  series: ChartSeries[];
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const id = props.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(280, el.clientWidth);
    const plot = new uPlot(
      {
        width,
        height: 200,
        scales: { x: { time: true } },
        legend: { show: false },
        axes: [{}, { label: props.unit, size: 56 }],
        series: [
          {},
          ...props.series.map((s, i) => ({
            label: s.label,
            stroke: COLOURS[i % COLOURS.length]!,
            width: 2,
            spanGaps: false,
          })),
        ],
      },
      [props.times, ...props.series.map((s) => s.values)],
      el,
    );
    chart.current = plot;
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(280, el.clientWidth), height: 200 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [props.series.map((s) => s.label).join('|'), props.times.length === 0]);

  useEffect(() => {
    chart.current?.setData([props.times, ...props.series.map((s) => s.values)]);
  }, [props.times, props.series]);

  const last = props.times.length - 1;
  return (
    <figure class="panel" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{props.title}</h3>
      {props.times.length === 0 ? <p class="muted">No samples yet.</p> : null}
      <div ref={box} class="chart" aria-hidden="true" />
      {last >= 0 ? (
        <ul class="legend small" aria-label="Latest values">
          {props.series.map((s, i) => (
            <li key={s.label}>
              <span class="swatch" style={{ background: COLOURS[i % COLOURS.length] }} />
              {s.label}:{' '}
              {s.values[last] === null || s.values[last] === undefined
                ? '—'
                : round(s.values[last]!)}{' '}
              {props.unit}
            </li>
          ))}
        </ul>
      ) : null}
      <details>
        <summary>Show as a table</summary>
        <TableWrap label={`${props.title} as a table`}>
          <table>
            <thead>
              <tr>
                <th scope="col">Time</th>
                {props.series.map((s) => (
                  <th scope="col" class="num" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.times
                .map((t, i) => (
                  <tr key={t}>
                    <td>{new Date(t * 1000).toLocaleTimeString()}</td>
                    {props.series.map((s) => (
                      <td class="num" key={s.label}>
                        {s.values[i] === null || s.values[i] === undefined
                          ? '—'
                          : round(s.values[i]!)}
                      </td>
                    ))}
                  </tr>
                ))
                .reverse()
                .slice(0, 120)}
            </tbody>
          </table>
        </TableWrap>
      </details>
    </figure>
  );
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
