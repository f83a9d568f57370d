import { path } from '../api/client.js';
import { mentions } from '../api/live.js';
import { api } from '../api/platform.js';
import type { Scan, Session } from '../api/types.js';
import { formatAgo, formatMoney, humanize } from '../format/format.js';
import { announce } from '../ui/announcer.js';
import { useAsync } from '../ui/use-async.js';
import { useLive, useNow } from '../ui/use-live.js';
import { Badge, ErrorNote, Facts, Loading } from '../ui/widgets.js';
import { basketOf, basketTotal } from './basket.js';
import { OverrideForm } from './override-form.js';

/** A cart's session as it happens: the basket, each scan's weight check, and the overrides. */
export function SessionPanel(props: { store: string; deviceId: string; sessionId: string }) {
  const now = useNow(5_000);
  const session = useAsync(
    () => api.get<Session>(path`/v1/sessions/${props.sessionId}`),
    [props.sessionId],
  );
  const scans = useAsync(
    () =>
      api.get<{ scans: Scan[] }>(path`/v1/sessions/${props.sessionId}/scans`).then((b) => b.scans),
    [props.sessionId],
  );
  useLive(
    ['session', 'scan'],
    () => {
      session.reload();
      scans.reload();
      announce(`Session on ${props.deviceId} updated`);
    },
    (e) =>
      mentions(e, props.sessionId, 'sessionId', 'session_id') ||
      mentions(e, props.deviceId, 'deviceId', 'device_id'),
  );
  const s = session.data;
  const lines = basketOf(scans.data ?? []);
  const currency = s?.currency ?? null;
  const mismatches = (scans.data ?? []).filter((x) => x.weightCheck === 'mismatch');

  return (
    <section class="panel" aria-labelledby="session-title" data-testid="live-session">
      <div class="spread">
        <h2 id="session-title">Session in progress</h2>
        {s ? (
          <Badge level={s.status === 'active' ? 'good' : 'warn'}>{humanize(s.status)}</Badge>
        ) : null}
      </div>
      <ErrorNote error={session.error ?? scans.error} />
      {!s ? (
        session.loading ? (
          <Loading what="the session" />
        ) : null
      ) : (
        <Facts
          items={[
            ['Started', formatAgo(s.startedAt, now)],
            ['Items', String(lines.reduce((n, l) => n + l.quantity, 0))],
            ['Subtotal', formatMoney(s.subtotalCents ?? basketTotal(lines), currency)],
            ['Weight checks failed', String(s.scanMismatches ?? mismatches.length)],
            ['Customer', s.accountId ? 'identified' : 'guest'],
          ]}
        />
      )}
      <div class="table-wrap">
        <table>
          <caption>Basket</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col" class="num">
                Qty
              </th>
              <th scope="col" class="num">
                Price
              </th>
              <th scope="col">Weight</th>
            </tr>
          </thead>
          <tbody>
            {lines.length === 0 ? (
              <tr>
                <td colSpan={4} class="muted">
                  Nothing scanned yet.
                </td>
              </tr>
            ) : (
              lines.map((line) => (
                <tr key={line.barcode}>
                  <td>
                    {line.sku ?? 'Unknown item'}{' '}
                    <span class="muted small mono">{line.barcode}</span>
                  </td>
                  <td class="num">{line.quantity}</td>
                  <td class="num">{formatMoney(line.priceCents, currency)}</td>
                  <td>
                    {line.mismatches > 0 ? (
                      <Badge level="bad">
                        {line.mismatches} mismatch{line.mismatches > 1 ? 'es' : ''}
                      </Badge>
                    ) : (
                      <Badge level="good">OK</Badge>
                    )}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {mismatches.length > 0 ? (
        <details>
          <summary>Weight checks that failed ({mismatches.length})</summary>
          <ul>
            {mismatches.map((m) => (
              <li key={m.counter}>
                {m.action === 'remove' ? 'Removed' : 'Added'} {m.sku ?? m.barcode} ×{m.quantity},{' '}
                {formatAgo(m.scannedAt, now)}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {s && (s.status === 'active' || s.status === 'paused') ? (
        <OverrideForm
          store={props.store}
          deviceId={props.deviceId}
          session={s}
          onSent={session.reload}
        />
      ) : null}
    </section>
  );
}
