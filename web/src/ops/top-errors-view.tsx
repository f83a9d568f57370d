import { useState } from 'preact/hooks';
import { api } from '../api/platform.js';
import { readStores } from '../api/types.js';
import { formatDateTime } from '../format/format.js';
import { hashOf } from '../ui/hash-route.js';
import { useAsync } from '../ui/use-async.js';
import { ErrorNote, Loading, TableWrap } from '../ui/widgets.js';
import {
  ERROR_WINDOWS,
  rejectReasons,
  topErrorsPath,
  type ErrorDevice,
  type ErrorWindow,
} from './fleet-health.js';

/** The devices with the most rejected messages, faults and unexpected reboots in a window. */
export function TopErrorsView() {
  const [span, setSpan] = useState<ErrorWindow>('24h');
  const [store, setStore] = useState('');
  const stores = useAsync(() => api.get<unknown>('/v1/stores').then(readStores), []);
  const top = useAsync(
    () => api.get<{ since: string; devices: ErrorDevice[] }>(topErrorsPath(span, store)),
    [span, store],
  );
  const devices = top.data?.devices;
  const reasons = devices ? rejectReasons(devices) : [];

  return (
    <section aria-labelledby="top-errors-title">
      <div class="spread">
        <h2 id="top-errors-title">Top error devices</h2>
        <div class="row" role="group" aria-label="Time window">
          {ERROR_WINDOWS.map((w) => (
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
      <div class="filters">
        <div class="field">
          <label for="errors-store">Store</label>
          <select
            id="errors-store"
            value={store}
            onChange={(e) => setStore((e.target as HTMLSelectElement).value)}
          >
            <option value="">All stores</option>
            {(stores.data ?? []).map((s) => (
              <option key={s.storeId} value={s.storeId}>
                {s.name ? `${s.name} (${s.storeId})` : s.storeId}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <button type="button" onClick={top.reload} disabled={top.loading}>
            Refresh
          </button>
        </div>
      </div>
      <ErrorNote error={top.error} />
      {!devices ? (
        top.loading ? (
          <Loading what="top error devices" />
        ) : null
      ) : devices.length === 0 ? (
        <p data-testid="top-errors-empty" role="status">
          No rejects, faults or unexpected reboots since {formatDateTime(top.data?.since)}.
        </p>
      ) : (
        <>
          <p class="small muted" role="status">
            {devices.length} device{devices.length === 1 ? '' : 's'} with errors since{' '}
            {formatDateTime(top.data?.since)}
          </p>
          <TableWrap label="Top error devices">
            <table data-testid="top-errors">
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col">Store</th>
                  <th scope="col" class="num">
                    Total
                  </th>
                  <th scope="col" class="num">
                    Rejects
                  </th>
                  {reasons.map((reason) => (
                    <th key={reason} scope="col" class="num">
                      Rejects: {reason}
                    </th>
                  ))}
                  <th scope="col" class="num">
                    Faults
                  </th>
                  <th scope="col" class="num">
                    Reboots
                  </th>
                </tr>
              </thead>
              <tbody>
                {devices.map((d) => (
                  <tr key={d.deviceId} data-device={d.deviceId}>
                    <td class="nowrap">
                      <a href={hashOf('device', d.deviceId)}>{d.deviceId}</a>
                    </td>
                    <td class="nowrap">{d.storeId ?? '—'}</td>
                    <td class="num">{d.total}</td>
                    <td class="num">{d.rejects}</td>
                    {reasons.map((reason) => (
                      <td key={reason} class="num" data-reason={reason}>
                        {d.rejectsByReason[reason] ?? 0}
                      </td>
                    ))}
                    <td class="num">{d.faults}</td>
                    <td class="num">{d.reboots}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}
