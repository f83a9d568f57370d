import { path } from '../api/client.js';
import { api } from '../api/platform.js';
import { formatDateTime, formatMoney } from '../format/format.js';
import {
  verifyReceipt,
  type ReceiptCheck,
  type SignedReceipt,
} from '../receipts/verify-receipt.js';
import { hashOf } from '../ui/hash-route.js';
import { useAsync } from '../ui/use-async.js';
import { Badge, ErrorNote, Facts, Loading } from '../ui/widgets.js';

const CHECK_TEXT: Record<ReceiptCheck, string> = {
  verified: 'Signature verified',
  invalid: 'Signature does not verify',
  unsupported: 'This browser cannot check the signature',
};

/**
 * A receipt, its Ed25519 signature checked here in the page against the platform's public key:
 * the shopper need not trust the page's server for the receipt to be the one the platform signed.
 */
export function ReceiptView({ receiptId }: { receiptId: string }) {
  const loaded = useAsync(async () => {
    const [doc, pem] = await Promise.all([
      api.get<SignedReceipt>(path`/v1/me/receipts/${receiptId}`),
      api.text('/v1/receipts/public-key'),
    ]);
    return { doc, check: await verifyReceipt(doc, pem) };
  }, [receiptId]);
  const r = loaded.data?.doc.receipt;
  return (
    <section aria-labelledby="receipt-title">
      <p>
        <a href={hashOf('history')}>← All receipts</a>
      </p>
      <h2 id="receipt-title">Receipt</h2>
      <ErrorNote error={loaded.error} />
      {!loaded.data || !r ? (
        loaded.loading ? (
          <Loading what="the receipt" />
        ) : null
      ) : (
        <div class="panel">
          <p class="verified" data-testid="receipt-check" data-check={loaded.data.check}>
            <Badge
              level={
                loaded.data.check === 'verified'
                  ? 'good'
                  : loaded.data.check === 'invalid'
                    ? 'bad'
                    : 'unknown'
              }
            >
              {CHECK_TEXT[loaded.data.check]}
            </Badge>
          </p>
          <Facts
            items={[
              ['Issued', formatDateTime(r.issued_at)],
              ['Store', r.store_id],
              ['Cart', r.device_id],
              ['Receipt', <code key="id">{r.receipt_id}</code>],
            ]}
          />
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col" class="num">
                    Qty
                  </th>
                  <th scope="col" class="num">
                    Price
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.lines.map((line, i) => (
                  <tr key={i}>
                    <td>
                      {line.sku ?? 'Item'} <span class="small muted mono">{line.barcode}</span>
                    </td>
                    <td class="num">{line.quantity}</td>
                    <td class="num">
                      {formatMoney(
                        line.price_cents === undefined ? null : line.price_cents * line.quantity,
                        r.currency,
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2}>
                    Total
                  </th>
                  <td class="num">{formatMoney(r.total_cents, r.currency)}</td>
                </tr>
                <tr>
                  <th scope="row" colSpan={2}>
                    Paid
                  </th>
                  <td class="num">{formatMoney(r.paid_cents, r.currency)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          <p class="small muted">
            Payment reference <code>{r.payment_ref}</code>; signed with key{' '}
            <code>{loaded.data.doc.key_id}</code>.
          </p>
        </div>
      )}
    </section>
  );
}
