import { useState } from 'preact/hooks';
import { api } from '../api/platform.js';
import { formatBytes, formatCount } from '../format/format.js';
import { useAsync } from '../ui/use-async.js';
import { ErrorNote, Loading, Stats, TableWrap } from '../ui/widgets.js';
import {
  cartsQuery,
  costComparison,
  costSections,
  type CostModel,
  type CostSection,
} from './cost-table.js';

const DEFAULT_CARTS = 5000;

function SectionTable({ section }: { section: CostSection }) {
  const row = (r: CostSection['total'], head: boolean) => (
    <tr key={r.item}>
      <th scope="row">{head ? <strong>{r.item}</strong> : r.item}</th>
      <td class="cost-detail">{r.usage}</td>
      <td class="cost-detail">{r.unitPrice}</td>
      <td class="num">{r.perMonth}</td>
      <td class="num">{r.perCartMonth}</td>
    </tr>
  );
  return (
    <TableWrap label={`Cost model: ${section.title}`}>
      <table>
        <caption>{section.title}</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" class="cost-detail">
              Use a month
            </th>
            <th scope="col" class="cost-detail">
              Unit price
            </th>
            <th scope="col" class="num">
              Per month
            </th>
            <th scope="col" class="num">
              Per cart-month
            </th>
          </tr>
        </thead>
        <tbody>
          {section.rows.map((r) => row(r, false))}
          {row(section.total, true)}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The cost model for N carts (decision 061): modelled from benchmarks, not metered. */
export function CostModelSection() {
  const [text, setText] = useState(String(DEFAULT_CARTS));
  const carts = cartsQuery(text);
  const cost = useAsync(
    () =>
      carts === null
        ? Promise.resolve(undefined)
        : api.get<CostModel>(`/v1/billing/cost?carts=${carts}`),
    [carts],
  );
  const m = cost.data;
  return (
    <section aria-labelledby="cost-title">
      <div class="spread">
        <h3 id="cost-title">Cost model</h3>
        <div class="field" style={{ marginBottom: 0 }}>
          <label for="cost-carts">Carts</label>
          <input
            id="cost-carts"
            inputMode="numeric"
            value={text}
            aria-invalid={carts === null}
            onInput={(e) => setText((e.target as HTMLInputElement).value)}
          />
        </div>
      </div>
      {carts === null ? <p class="small">Carts: a whole number from 1 to 10,000,000.</p> : null}
      <ErrorNote error={cost.error} />
      {!m ? (
        cost.loading ? (
          <Loading what="the cost model" />
        ) : null
      ) : (
        <>
          <Stats
            label="Cost per cart-month, side by side"
            items={costComparison(m).map((c) => [c.label, c.perCartMonth])}
          />
          <p class="small muted">
            Modelled, not metered: one cart sends{' '}
            {formatCount(Math.round(m.usage.messagesPerMonth))} messages a month (
            {formatCount(m.usage.messagesPerDay)} a day), stores{' '}
            {formatBytes(Math.round(m.usage.storedBytesPerMonth))} and holds{' '}
            {formatBytes(Math.round(m.usage.heldBytes))} at 18 months. Prices {m.prices.id} (
            {m.prices.region}, as of {m.prices.asOf}). The seed’s figure is at{' '}
            {formatCount(m.seed.scaleCarts)} carts and includes the cart’s LTE-M data plan.
          </p>
          {costSections(m).map((s) => (
            <SectionTable key={s.title} section={s} />
          ))}
        </>
      )}
    </section>
  );
}
