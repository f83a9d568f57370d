import { useState } from 'preact/hooks';
import { api } from '../api/platform.js';
import { formatBytes, formatCount, formatMoney } from '../format/format.js';
import { useAsync } from '../ui/use-async.js';
import { ErrorNote, Loading, Stats, TableWrap } from '../ui/widgets.js';
import { CostModelSection } from './cost-section.js';

interface StoreBill {
  readonly storeId: string;
  readonly measured: { carts: number; cartMonths: number; messages: number; storedBytes: number };
  readonly invoice: { totalCents: number; currency: string };
  readonly cloudCost: { totalCents: number; perCartMonthCents: number | null };
}

interface Billing {
  readonly month: string;
  readonly days?: number;
  readonly configured: { pricePerCartMonthCents: number; currency: string };
  readonly stores: StoreBill[];
  readonly totals: {
    carts: number;
    cartMonths: number;
    messages: number;
    storedBytes: number;
    invoiceCents: number;
    cloudCostCents: number;
  };
}

function thisMonth(): string {
  return new Date().toISOString().slice(0, 7);
}

/** Per-store metering for a month: what to invoice, and what the fleet costs to run. */
export function BillingView() {
  const [month, setMonth] = useState(thisMonth());
  const billing = useAsync(
    () => api.get<Billing>(`/v1/billing?month=${encodeURIComponent(month)}`),
    [month],
  );
  const b = billing.data;
  const currency = b?.configured.currency ?? null;
  return (
    <section aria-labelledby="billing-title">
      <div class="spread">
        <h2 id="billing-title">Billing</h2>
        <div class="field" style={{ marginBottom: 0 }}>
          <label for="billing-month">Month</label>
          <input
            id="billing-month"
            type="month"
            value={month}
            max={thisMonth()}
            onChange={(e) => setMonth((e.target as HTMLInputElement).value || thisMonth())}
          />
        </div>
      </div>
      <ErrorNote error={billing.error} />
      {!b ? (
        billing.loading ? (
          <Loading what="billing" />
        ) : null
      ) : (
        <>
          <Stats
            label={`Billing totals for ${b.month}`}
            items={[
              ['Carts', formatCount(b.totals.carts)],
              ['Cart-months', formatCount(b.totals.cartMonths)],
              ['Messages', formatCount(b.totals.messages)],
              ['Stored', formatBytes(b.totals.storedBytes)],
              ['To invoice', formatMoney(b.totals.invoiceCents, currency)],
              ['Cloud cost (est.)', formatMoney(Math.round(b.totals.cloudCostCents), currency)],
            ]}
          />
          <p class="small muted">
            {formatMoney(b.configured.pricePerCartMonthCents, currency)} per cart-month. Measured
            from the telemetry store; a month in progress is month to date.
          </p>
          {/* On a phone: what to invoice and what it costs; the measures behind them on wider screens. */}
          <TableWrap label="Billing by store">
            <table>
              <thead>
                <tr>
                  <th scope="col">Store</th>
                  <th scope="col" class="num">
                    Carts
                  </th>
                  <th scope="col" class="num wide-only">
                    Cart-months
                  </th>
                  <th scope="col" class="num wide-only">
                    Messages
                  </th>
                  <th scope="col" class="num wide-only">
                    Stored
                  </th>
                  <th scope="col" class="num">
                    Invoice
                  </th>
                  <th scope="col" class="num">
                    Cloud cost
                  </th>
                  <th scope="col" class="num wide-only">
                    Per cart-month
                  </th>
                </tr>
              </thead>
              <tbody>
                {b.stores.map((s) => (
                  <tr key={s.storeId}>
                    <th scope="row">{s.storeId}</th>
                    <td class="num">{formatCount(s.measured.carts)}</td>
                    <td class="num wide-only">{formatCount(s.measured.cartMonths)}</td>
                    <td class="num wide-only">{formatCount(s.measured.messages)}</td>
                    <td class="num wide-only">{formatBytes(s.measured.storedBytes)}</td>
                    <td class="num">{formatMoney(s.invoice.totalCents, s.invoice.currency)}</td>
                    <td class="num">{formatMoney(Math.round(s.cloudCost.totalCents), currency)}</td>
                    <td class="num wide-only">
                      {s.cloudCost.perCartMonthCents === null
                        ? '—'
                        : formatMoney(Math.round(s.cloudCost.perCartMonthCents), currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
      <CostModelSection />
    </section>
  );
}
