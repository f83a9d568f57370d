import { useRef, useState } from 'preact/hooks';
import { path } from '../api/client.js';
import { mentions } from '../api/live.js';
import { api } from '../api/platform.js';
import type { Alert } from '../api/types.js';
import { formatAgo, formatDateTime, humanize } from '../format/format.js';
import { announce } from '../ui/announcer.js';
import { hashOf } from '../ui/hash-route.js';
import type { Async } from '../ui/use-async.js';
import { useLive, useNow } from '../ui/use-live.js';
import { Badge, ErrorNote, Loading } from '../ui/widgets.js';

const STATE_LEVEL = { open: 'bad', acknowledged: 'warn', resolved: 'good' } as const;

/** The store's loss-prevention alerts, newest first, updating live; each can be acknowledged and resolved. */
export function LossPreventionFeed({ store, alerts }: { store: string; alerts: Async<Alert[]> }) {
  const now = useNow();
  const [show, setShow] = useState<'active' | 'all'>('active');
  const known = useRef<Set<string> | null>(null);
  if (alerts.data && known.current === null) known.current = new Set(alerts.data.map((a) => a.id));

  // The list reloads in the staff app; here a newly raised alert is announced. The event carries
  // the alert as it now stands (docs/live-stream.md).
  useLive(
    ['alert'],
    (event) => {
      const alert = (event['alert'] ?? event) as Partial<Alert>;
      const id = typeof alert.id === 'string' ? alert.id : null;
      if (id && known.current && !known.current.has(id)) {
        known.current.add(id);
        announce(
          `New alert: ${humanize(String(alert.kind ?? 'alert'))} on ${String(alert.deviceId ?? 'a cart')}`,
        );
      }
    },
    (e) => (!e['storeId'] && !e['store_id']) || mentions(e, store, 'storeId', 'store_id'),
  );

  const list = (alerts.data ?? []).filter(
    (a) => show === 'all' || (a.state ?? 'open') !== 'resolved',
  );
  return (
    <section aria-labelledby="alerts-title">
      <div class="spread">
        <h2 id="alerts-title">Loss prevention</h2>
        <label class="check">
          <input
            type="checkbox"
            checked={show === 'all'}
            onChange={(e) => setShow((e.target as HTMLInputElement).checked ? 'all' : 'active')}
          />
          Show resolved alerts
        </label>
      </div>
      <ErrorNote error={alerts.error} />
      {!alerts.data ? (
        <Loading what="alerts" />
      ) : list.length === 0 ? (
        <p>No alerts need attention.</p>
      ) : (
        <ul class="plain" data-testid="alert-feed">
          {list.map((alert) => (
            <AlertItem
              key={alert.id}
              store={store}
              alert={alert}
              now={now}
              onChanged={alerts.reload}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function AlertItem({
  store,
  alert,
  now,
  onChanged,
}: {
  store: string;
  alert: Alert;
  now: number;
  onChanged: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const state = alert.state ?? 'open';

  async function act(action: 'acknowledge' | 'resolve') {
    setBusy(true);
    setError(undefined);
    try {
      await api.post(path`/v1/stores/${store}/loss-prevention/${alert.id}/${action}`, {});
      announce(
        `Alert on ${alert.deviceId} ${action === 'acknowledge' ? 'acknowledged' : 'resolved'}`,
      );
      onChanged();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li class="panel alert-item" data-state={state} data-alert={alert.id}>
      <div class="spread">
        <h3>
          {humanize(alert.kind)} · <a href={hashOf('cart', alert.deviceId)}>{alert.deviceId}</a>
        </h3>
        <Badge level={STATE_LEVEL[state]}>{humanize(state)}</Badge>
      </div>
      <p class="small muted">
        <time dateTime={alert.at} title={formatDateTime(alert.at)}>
          {formatAgo(alert.at, now)}
        </time>
        {alert.acknowledgedBy ? ` · acknowledged by ${alert.acknowledgedBy}` : ''}
        {alert.resolvedBy ? ` · resolved by ${alert.resolvedBy}` : ''}
      </p>
      <Evidence evidence={alert.evidence} />
      <ErrorNote error={error} />
      <div class="row">
        {state === 'open' ? (
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={() => void act('acknowledge')}
          >
            Acknowledge
          </button>
        ) : null}
        {state !== 'resolved' ? (
          <button type="button" disabled={busy} onClick={() => void act('resolve')}>
            Resolve
          </button>
        ) : null}
      </div>
    </li>
  );
}

/** What the cart measured, as plain facts; nested values (mismatched scans) as short lines. */
function Evidence({ evidence }: { evidence: Record<string, unknown> }) {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return null;
  return (
    <dl class="facts small">
      {entries.map(([key, value]) => [
        <dt key={`${key}-t`}>{humanize(key)}</dt>,
        <dd key={`${key}-d`}>
          {typeof value === 'object' && value !== null ? (
            <code>{JSON.stringify(value)}</code>
          ) : (
            String(value)
          )}
        </dd>,
      ])}
    </dl>
  );
}
