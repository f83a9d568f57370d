import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/platform.js';
import { useAsync } from '../ui/use-async.js';
import { ErrorNote, Loading } from '../ui/widgets.js';
import { readHistory } from './metrics-history.js';
import { TimeChart } from './time-chart.js';

const WINDOWS = [
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last day' },
] as const;

/** The platform's own metric history (sampled once a minute), without Prometheus. */
export function MetricsView() {
  const [span, setSpan] = useState<'1h' | '24h'>('1h');
  const history = useAsync(
    () => api.get<unknown>(`/v1/metrics/history?window=${span}`).then(readHistory),
    [span],
  );
  useEffect(() => {
    const timer = setInterval(history.reload, 60_000);
    return () => clearInterval(timer);
  }, [span]);
  const h = history.data;
  return (
    <section aria-labelledby="metrics-title">
      <div class="spread">
        <h2 id="metrics-title">Platform metrics</h2>
        <div class="row" role="group" aria-label="Time window">
          {WINDOWS.map((w) => (
            <button
              key={w.value}
              type="button"
              class={span === w.value ? 'primary' : undefined}
              aria-pressed={span === w.value}
              onClick={() => setSpan(w.value)}
            >
              {w.label}
            </button>
          ))}
        </div>
      </div>
      <ErrorNote error={history.error} />
      {!h ? (
        history.loading ? (
          <Loading what="metric history" />
        ) : null
      ) : (
        <div class="grid charts">
          <TimeChart
            title="Messages per minute"
            unit="msg/min"
            times={h.times}
            series={[{ label: 'Messages', values: h.messagesPerMinute }]}
          />
          <TimeChart
            title="Connected devices"
            unit="devices"
            times={h.times}
            series={[{ label: 'Connected', values: h.connectedDevices }]}
          />
          <TimeChart
            title="Publish to stored"
            unit="ms"
            times={h.times}
            series={[
              { label: 'p50', values: h.p50Ms },
              { label: 'p99', values: h.p99Ms },
            ]}
          />
          <TimeChart
            title="Rejects by reason"
            unit="per min"
            times={h.times}
            series={Object.entries(h.rejects).map(([reason, values]) => ({
              label: reason,
              values,
            }))}
          />
        </div>
      )}
    </section>
  );
}
