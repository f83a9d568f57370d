import { path } from '../api/client.js';
import { mentions } from '../api/live.js';
import { api } from '../api/platform.js';
import type { Alert, Cart, FleetStatus } from '../api/types.js';
import type { SurfaceProps } from '../main.js';
import { hashOf, useHashRoute } from '../ui/hash-route.js';
import { Shell } from '../ui/shell.js';
import { useAsync } from '../ui/use-async.js';
import { useLive } from '../ui/use-live.js';
import { ErrorNote, Loading } from '../ui/widgets.js';
import { CartDetail } from './cart-detail.js';
import { CartList, FleetSummary } from './cart-list.js';
import { FloorView } from './floor-view.js';
import { LossPreventionFeed } from './loss-prevention.js';

/**
 * The staff tablet: one store, the one the person was invited to. Nothing here takes a store id
 * from the page; every call names the session's store.
 */
export default function StaffApp({ session }: SurfaceProps) {
  const store = session?.store ?? '';
  const route = useHashRoute('carts');
  const carts = useAsync(
    () => api.get<{ carts: Cart[] }>(path`/v1/stores/${store}/carts`).then((b) => b.carts),
    [store],
  );
  const status = useAsync(
    () => api.get<FleetStatus>(path`/v1/stores/${store}/fleet-status`),
    [store],
  );
  const alerts = useAsync(
    () =>
      api
        .get<{ alerts: Alert[] }>(path`/v1/stores/${store}/loss-prevention` + '?limit=100')
        .then((b) => b.alerts),
    [store],
  );
  useLive(
    ['cart', 'session'],
    () => {
      carts.reload();
      status.reload();
    },
    (e) => (!e['storeId'] && !e['store_id'] ? true : mentions(e, store, 'storeId', 'store_id')),
  );
  // Here, not in the feed: the open-alert badge counts alerts raised while another view is open,
  // and the feed shows them when it opens. The server sends staff their store's alerts only.
  useLive(['alert'], () => alerts.reload());
  if (!session || !store) {
    return (
      <ErrorNote
        error={new Error('this staff sign-in names no store; ask ops for a new invitation')}
      />
    );
  }
  const open = (alerts.data ?? []).filter((a) => (a.state ?? 'open') === 'open').length;
  const view = route.view === 'cart' && route.arg ? 'cart' : route.view;
  const tabs = [
    { view: 'carts', label: 'Carts' },
    { view: 'floor', label: 'Floor' },
    {
      view: 'alerts',
      label: <>Loss prevention{open > 0 ? <span class="badge bad">{open} open</span> : null}</>,
    },
  ];

  return (
    <Shell
      surface="Staff tablet"
      context={`Store ${store}`}
      session={session}
      tabs={tabs}
      current={view === 'cart' ? 'carts' : view}
    >
      {view === 'alerts' ? (
        <LossPreventionFeed store={store} alerts={alerts} />
      ) : view === 'cart' && route.arg ? (
        <>
          <p>
            <a href={hashOf('carts')}>← All carts</a>
          </p>
          {carts.data ? (
            <CartDetail
              store={store}
              cart={carts.data.find((c) => c.deviceId === route.arg)}
              deviceId={route.arg}
              onChanged={carts.reload}
            />
          ) : (
            <Loading what="the cart" />
          )}
        </>
      ) : (
        <>
          <ErrorNote error={carts.error ?? status.error} />
          {status.data ? <FleetSummary status={status.data} carts={carts.data} /> : null}
          {!carts.data ? (
            carts.loading ? (
              <Loading what="the store's carts" />
            ) : null
          ) : view === 'floor' ? (
            <FloorView carts={carts.data} />
          ) : (
            <CartList carts={carts.data} />
          )}
        </>
      )}
    </Shell>
  );
}
