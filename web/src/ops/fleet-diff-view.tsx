import { useState } from 'preact/hooks';
import { mentions } from '../api/live.js';
import { api } from '../api/platform.js';
import { readStores } from '../api/types.js';
import { formatAgo, formatDateTime } from '../format/format.js';
import { hashOf } from '../ui/hash-route.js';
import { useAsync } from '../ui/use-async.js';
import { useLive, useNow } from '../ui/use-live.js';
import { ErrorNote, InfoNote, Loading, Stats, TableWrap } from '../ui/widgets.js';
import {
  diffFigures,
  fleetDiffPath,
  SEEN_WITHIN,
  type FleetDiff,
  type FleetDiffDevice,
  type SeenWithin,
} from './fleet-health.js';

const REGISTRATION = { provisioned: 'Provisioned', jit: 'Registered just in time' } as const;

/** A store's expected devices against the connected and recently seen ones (decision 036). */
export function FleetDiffView({ storeId }: { storeId: string | null }) {
  const now = useNow();
  const stores = useAsync(() => api.get<unknown>('/v1/stores').then(readStores), []);
  const [seenWithin, setSeenWithin] = useState<SeenWithin>('15m');
  const store = storeId ?? stores.data?.[0]?.storeId ?? null;
  const diff = useAsync(
    () =>
      store ? api.get<FleetDiff>(fleetDiffPath(store, seenWithin)) : Promise.resolve(undefined),
    [store, seenWithin],
  );
  // A cart connecting or going quiet changes the counts.
  useLive(
    ['cart'],
    () => diff.reload(),
    (e) => mentions(e, store, 'storeId', 'store_id'),
  );
  const d = diff.data;

  return (
    <section aria-labelledby="diff-title">
      <h2 id="diff-title">Fleet diff{store ? ` · ${store}` : ''}</h2>
      <div class="filters">
        <div class="field">
          <label for="diff-store">Store</label>
          <select
            id="diff-store"
            value={store ?? ''}
            onChange={(e) => {
              location.hash = hashOf('fleet-diff', (e.target as HTMLSelectElement).value);
            }}
          >
            {(stores.data ?? []).map((s) => (
              <option key={s.storeId} value={s.storeId}>
                {s.name ? `${s.name} (${s.storeId})` : s.storeId}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="diff-seen">Seen within</label>
          <select
            id="diff-seen"
            value={seenWithin}
            onChange={(e) => setSeenWithin((e.target as HTMLSelectElement).value as SeenWithin)}
          >
            {SEEN_WITHIN.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNote error={stores.error ?? diff.error} />
      {!d ? (
        diff.loading || stores.loading ? (
          <Loading what="the fleet diff" />
        ) : null
      ) : (
        <>
          <Stats
            label={`Devices of ${d.storeId}`}
            items={diffFigures(d).map(([name, n]) => [name, n])}
          />
          <p class="small muted">
            As of {formatDateTime(d.asOf)}; recently seen: within {d.seenWithin}, not connected now.
          </p>
          {d.truncated ? <InfoNote>The lists are cut; the counts are whole.</InfoNote> : null}
          <DeviceList
            title="Never seen"
            testId="never-seen"
            devices={d.neverSeen}
            empty="Every expected device has connected at least once."
            now={now}
          />
          <DeviceList
            title="Not seen recently"
            testId="not-seen-recently"
            devices={d.silent}
            empty={`Every device seen before has been seen within ${d.seenWithin}.`}
            now={now}
          />
          {d.revoked.length > 0 ? (
            <section class="panel" aria-labelledby="diff-revoked">
              <h3 id="diff-revoked">Revoked (not expected)</h3>
              <ul class="plain">
                {d.revoked.map((r) => (
                  <li key={r.deviceId}>
                    <a href={hashOf('device', r.deviceId)}>{r.deviceId}</a>{' '}
                    <span class="small muted">
                      {r.deviceClass}, revoked {formatDateTime(r.revokedAt)}, last seen{' '}
                      {formatAgo(r.lastSeenAt, now)}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      )}
    </section>
  );
}

function DeviceList(props: {
  title: string;
  testId: string;
  devices: readonly FleetDiffDevice[];
  empty: string;
  now: number;
}) {
  const headingId = `diff-${props.testId}`;
  return (
    <section class="panel" aria-labelledby={headingId}>
      <h3 id={headingId}>{props.title}</h3>
      {props.devices.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <TableWrap label={props.title}>
          <table data-testid={props.testId}>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Class</th>
                <th scope="col">Registration</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {props.devices.map((device) => (
                <tr key={device.deviceId} data-device={device.deviceId}>
                  <td class="nowrap">
                    <a href={hashOf('device', device.deviceId)}>{device.deviceId}</a>
                  </td>
                  <td>{device.deviceClass}</td>
                  <td>
                    {device.registration
                      ? REGISTRATION[device.registration]
                      : 'Not in the registry'}
                    {device.registeredAt ? (
                      <span class="small muted"> · {formatDateTime(device.registeredAt)}</span>
                    ) : null}
                  </td>
                  <td>
                    {device.lastSeenAt ? (
                      <time dateTime={device.lastSeenAt} title={formatDateTime(device.lastSeenAt)}>
                        {formatAgo(device.lastSeenAt, props.now)}
                      </time>
                    ) : (
                      'never'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
