import { useState } from 'preact/hooks';
import { path } from '../api/client.js';
import { api } from '../api/platform.js';
import { MAINTENANCE_REASONS, type Cart } from '../api/types.js';
import { formatAgo, formatDateTime, formatPct, formatSignal, humanize } from '../format/format.js';
import { announce } from '../ui/announcer.js';
import { useNow } from '../ui/use-live.js';
import { ErrorNote, Facts, OkNote } from '../ui/widgets.js';
import { CartState } from './cart-status.js';
import { SessionPanel } from './session-panel.js';

export function CartDetail(props: {
  store: string;
  deviceId: string;
  cart: Cart | undefined;
  onChanged: () => void;
}) {
  const now = useNow();
  const { cart } = props;
  if (!cart) {
    return <ErrorNote error={new Error(`${props.deviceId} is not one of this store's carts`)} />;
  }
  return (
    <>
      <section class="panel" aria-labelledby="cart-title">
        <div class="spread">
          <h2 id="cart-title">Cart {cart.deviceId}</h2>
          <CartState cart={cart} />
        </div>
        <Facts
          items={[
            ['Battery', `${formatPct(cart.batteryPct)}${cart.charging ? ', charging' : ''}`],
            ['Signal', `${formatSignal(cart.rssiDbm)}${cart.link ? ` over ${cart.link}` : ''}`],
            [
              'Last seen',
              `${formatAgo(cart.lastSeenAt, now)}${cart.connected ? ', connected' : ', offline'}`,
            ],
            ['Firmware', cart.firmwareVersion ?? 'not reported'],
            [
              'Last fault',
              cart.lastFault
                ? `${humanize(cart.lastFault.code)} (${cart.lastFault.severity}), ${formatAgo(cart.lastFault.at, now)}`
                : 'none',
            ],
          ]}
        />
      </section>
      {cart.activeSessionId ? (
        <SessionPanel
          store={props.store}
          deviceId={cart.deviceId}
          sessionId={cart.activeSessionId}
        />
      ) : (
        <section class="panel">
          <h2>Session</h2>
          <p>No session in progress on this cart.</p>
        </section>
      )}
      <MaintenancePanel store={props.store} cart={cart} onChanged={props.onChanged} />
    </>
  );
}

function MaintenancePanel({
  store,
  cart,
  onChanged,
}: {
  store: string;
  cart: Cart;
  onChanged: () => void;
}) {
  const [reason, setReason] = useState<string>(cart.maintenance.reason ?? 'cleaning');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const flagged = cart.maintenance.reason !== null;

  async function save(next: string | null) {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const answer = await api.put<{ published?: boolean }>(
        path`/v1/stores/${store}/carts/${cart.deviceId}/maintenance`,
        { reason: next },
      );
      const text = next
        ? `${cart.deviceId} is out of service for ${next}.`
        : `${cart.deviceId} is back in service.`;
      setDone(
        answer.published === false ? `${text} The cart has not been told yet; save again.` : text,
      );
      announce(text);
      onChanged();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel" aria-labelledby="maintenance-title">
      <h2 id="maintenance-title">Maintenance</h2>
      <p>
        {flagged
          ? `Out of service for ${cart.maintenance.reason}, set by ${cart.maintenance.setBy ?? 'someone'} ${formatDateTime(cart.maintenance.setAt)}.`
          : cart.maintenance.reportedByCart
            ? 'The cart reports maintenance mode itself.'
            : 'In service.'}
      </p>
      <ErrorNote error={error} />
      {done ? <OkNote>{done}</OkNote> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save(reason);
        }}
      >
        <fieldset>
          <legend>Take out of service for</legend>
          {MAINTENANCE_REASONS.map((r) => (
            <label class="check" key={r}>
              <input
                type="radio"
                name="maintenance-reason"
                value={r}
                checked={reason === r}
                onChange={() => setReason(r)}
              />
              {humanize(r)}
            </label>
          ))}
        </fieldset>
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {flagged ? 'Change reason' : 'Take out of service'}
          </button>
          {flagged || cart.maintenance.outOfService ? (
            <button type="button" disabled={busy} onClick={() => void save(null)}>
              Put back in service
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
