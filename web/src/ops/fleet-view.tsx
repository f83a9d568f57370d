import { useState } from 'preact/hooks';
import { api } from '../api/platform.js';
import { readStores, type Cart } from '../api/types.js';
import { formatAgo, formatPct, formatSignal, humanize } from '../format/format.js';
import { hashOf } from '../ui/hash-route.js';
import { useAsync } from '../ui/use-async.js';
import { useLive, useNow } from '../ui/use-live.js';
import { Badge, ErrorNote, Loading, TableWrap } from '../ui/widgets.js';
import { CountsView } from './counts-view.js';

interface Filters {
  region: string;
  store: string;
  firmware: string;
  battery_below: string;
}

const EMPTY: Filters = { region: '', store: '', firmware: '', battery_below: '' };

export function cartsQuery(filters: Filters, after: string | null): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters))
    if (value.trim() !== '') query.set(key, value.trim());
  query.set('limit', '100');
  if (after) query.set('after', after);
  return `/v1/carts?${query.toString()}`;
}

/** Every store's carts: the fleet summary, then the carts by filter, a page at a time. */
export function FleetView() {
  const now = useNow();
  const summary = useAsync(() => api.get<unknown>('/v1/fleet/summary'), []);
  const stores = useAsync(() => api.get<unknown>('/v1/stores').then(readStores), []);
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [pages, setPages] = useState<string[]>([]);
  const carts = useAsync(async () => {
    const all: Cart[] = [];
    let next: string | null = null;
    for (let i = 0; i <= pages.length; i++) {
      const page: { carts: Cart[]; next: string | null } = await api.get(
        cartsQuery(filters, i === 0 ? null : next),
      );
      all.push(...page.carts);
      next = page.next;
      if (!next) break;
    }
    return { carts: all, next };
  }, [filters, pages.length]);
  useLive(['cart'], () => {
    summary.reload();
    carts.reload();
  });
  const regions = [
    ...new Set((stores.data ?? []).map((s) => s.region).filter((r): r is string => !!r)),
  ];
  const field = (key: keyof Filters) => ({
    id: `filter-${key}`,
    value: draft[key],
    onInput: (e: Event) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value }),
  });

  return (
    <>
      <section aria-labelledby="summary-title">
        <h2 id="summary-title">Fleet</h2>
        <ErrorNote error={summary.error} />
        {summary.data ? (
          <CountsView value={summary.data} label="Fleet summary" />
        ) : summary.loading ? (
          <Loading what="the fleet summary" />
        ) : null}
      </section>
      <section class="panel" aria-labelledby="carts-title">
        <h2 id="carts-title">Carts</h2>
        <form
          class="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setPages([]);
            setFilters(draft);
          }}
        >
          <div class="field">
            <label for="filter-region">Region</label>
            <select {...field('region')}>
              <option value="">All regions</option>
              {regions.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-store">Store</label>
            <select {...field('store')}>
              <option value="">All stores</option>
              {(stores.data ?? []).map((s) => (
                <option key={s.storeId} value={s.storeId}>
                  {s.name ? `${s.name} (${s.storeId})` : s.storeId}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-firmware">Firmware version</label>
            <input {...field('firmware')} placeholder="e.g. 1.4.2" />
          </div>
          <div class="field">
            <label for="filter-battery_below">Battery below (%)</label>
            <input
              {...field('battery_below')}
              type="number"
              min={0}
              max={100}
              inputMode="numeric"
            />
          </div>
          <div class="field">
            <button type="submit" class="primary">
              Show carts
            </button>
          </div>
        </form>
        <ErrorNote error={carts.error} />
        {!carts.data ? (
          <Loading what="carts" />
        ) : (
          <>
            <p class="small muted" role="status">
              {carts.data.carts.length} cart{carts.data.carts.length === 1 ? '' : 's'} shown
            </p>
            <TableWrap label="Carts">
              <table data-testid="fleet-carts">
                <thead>
                  <tr>
                    <th scope="col">Cart</th>
                    <th scope="col">Store</th>
                    <th scope="col">Region</th>
                    <th scope="col">State</th>
                    <th scope="col">Firmware</th>
                    <th scope="col" class="num">
                      Battery
                    </th>
                    <th scope="col">Signal</th>
                    <th scope="col">Last seen</th>
                  </tr>
                </thead>
                <tbody>
                  {carts.data.carts.map((cart) => (
                    <tr key={cart.deviceId}>
                      <td>
                        <a href={hashOf('device', cart.deviceId)}>{cart.deviceId}</a>
                      </td>
                      <td>{cart.storeId}</td>
                      <td>{cart.region ?? '—'}</td>
                      <td>
                        {cart.maintenance.outOfService ? (
                          <Badge level="warn">out of service</Badge>
                        ) : (
                          (cart.state ?? '—')
                        )}
                        {cart.connected ? '' : ' (offline)'}
                      </td>
                      <td>{cart.firmwareVersion ?? '—'}</td>
                      <td class="num">
                        {formatPct(cart.batteryPct)}
                        {cart.batteryHealth && cart.batteryHealth !== 'good'
                          ? ` ${humanize(cart.batteryHealth)}`
                          : ''}
                      </td>
                      <td>{formatSignal(cart.rssiDbm)}</td>
                      <td>{formatAgo(cart.lastSeenAt, now)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            {carts.data.next ? (
              <button type="button" onClick={() => setPages([...pages, carts.data!.next!])}>
                Show more carts
              </button>
            ) : null}
          </>
        )}
      </section>
    </>
  );
}
