import { useEffect, useState } from 'preact/hooks';
import type { ConsoleSession } from '../api/client.js';
import type { LiveEvent } from '../api/live.js';
import { api } from '../api/platform.js';
import { formatDuration, formatMoney, humanize } from '../format/format.js';
import { announce } from '../ui/announcer.js';
import { useAsync } from '../ui/use-async.js';
import { useLive, useNow } from '../ui/use-live.js';
import { Badge, ErrorNote } from '../ui/widgets.js';
import { IN_PROGRESS, mySessions, type MySession } from './my-sessions.js';
import { QrCode } from './qr-code.js';
import { ShoppingList } from './shopping-list.js';

/** Pair with a cart, watch the basket while shopping, keep the pre-shop list. */
export function ShopView({ session }: { session: ConsoleSession }) {
  const sessions = useAsync(mySessions, []);
  // The basket as the stream's session events carry it: the history's count and total are the
  // session-end's, so they stay empty until the trip ends.
  const [latest, setLatest] = useState<LiveEvent>();
  useLive(['session'], setLatest);
  useLive(['session', 'scan'], () => sessions.reload());
  const active = (sessions.data ?? []).find((s) => IN_PROGRESS.has(s.status));
  const stores = [...new Set((sessions.data ?? []).map((s) => s.store_id))];

  return (
    <>
      {active ? <LiveBasket session={active} event={latest} /> : <Pairing />}
      <ErrorNote error={sessions.error} />
      <ShoppingList knownStores={stores} defaultStore={session.store ?? stores[0] ?? null} />
    </>
  );
}

function Pairing() {
  const now = useNow(1000);
  const [code, setCode] = useState<{ code: string; qr: string; expires_at: string }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const left = code ? Date.parse(code.expires_at) - now : 0;

  async function newCode() {
    setBusy(true);
    setError(undefined);
    try {
      setCode(await api.post('/v1/me/pairing-code', {}));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel" aria-labelledby="pair-title" data-testid="pairing">
      <h2 id="pair-title">Pair with a cart</h2>
      <p>
        Show this code to the cart's scanner. The cart then knows your list and sends your receipt
        here.
      </p>
      <ErrorNote error={error} />
      {code && left > 0 ? (
        <>
          <QrCode text={code.qr} label={`Pairing code ${code.code}`} />
          <p class="code-text mono" data-testid="pairing-code">
            {code.code}
          </p>
          <p class="small muted" style={{ textAlign: 'center' }}>
            Valid for {formatDuration(left)}
          </p>
        </>
      ) : code ? (
        <p>The code has expired.</p>
      ) : null}
      <button type="button" class="primary" disabled={busy} onClick={() => void newCode()}>
        {code ? 'Show a new code' : 'Show my pairing code'}
      </button>
    </section>
  );
}

interface Line {
  readonly name: string;
  readonly quantity: number;
  readonly priceCents: number | null;
}

/** Basket lines if the stream's session event carries them (contents, lines or basket). */
function linesOf(event: LiveEvent | undefined, sessionId: string): Line[] | null {
  if (!event) return null;
  const id = event['sessionId'] ?? event['session_id'];
  if (id !== undefined && id !== sessionId) return null;
  const raw = event['contents'] ?? event['lines'] ?? event['basket'];
  if (!Array.isArray(raw)) return null;
  return raw
    .filter((l): l is Record<string, unknown> => typeof l === 'object' && l !== null)
    .map((l) => ({
      name: String(l['name'] ?? l['sku'] ?? l['barcode'] ?? 'Item'),
      quantity: typeof l['quantity'] === 'number' ? l['quantity'] : 1,
      priceCents:
        typeof l['price_cents'] === 'number'
          ? l['price_cents']
          : typeof l['priceCents'] === 'number'
            ? l['priceCents']
            : null,
    }));
}

/** A number the event carries under one of these names (camelCase or snake_case). */
function numberIn(event: LiveEvent | undefined, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = event?.[key];
    if (typeof value === 'number') return value;
  }
  return undefined;
}

function LiveBasket({ session: s, event }: { session: MySession; event: LiveEvent | undefined }) {
  const lines = linesOf(event, s.session_id);
  const live = lines ? event : undefined;
  const items = numberIn(live, 'itemCount', 'item_count') ?? s.item_count ?? 0;
  const total = numberIn(live, 'totalCents', 'total_cents') ?? s.total_cents ?? 0;
  const currency = typeof live?.['currency'] === 'string' ? live['currency'] : s.currency;
  useEffect(() => announce(`Basket: ${items} items`), [items, total]);
  return (
    <section class="panel" aria-labelledby="basket-title" data-testid="live-basket">
      <div class="spread">
        <h2 id="basket-title">Your basket</h2>
        <Badge level={s.status === 'active' ? 'good' : 'warn'}>{humanize(s.status)}</Badge>
      </div>
      <p class="small muted">Store {s.store_id}. Updates as you scan.</p>
      <dl class="stats" aria-label="Basket">
        <div>
          <dt>Items</dt>
          <dd data-testid="basket-items">{items}</dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd data-testid="basket-total">{formatMoney(total, currency)}</dd>
        </div>
      </dl>
      {lines && lines.length > 0 ? (
        <ul>
          {lines.map((l, i) => (
            <li key={i}>
              {l.quantity} × {l.name}
              {l.priceCents !== null
                ? ` — ${formatMoney(l.priceCents * l.quantity, currency)}`
                : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
