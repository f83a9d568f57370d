import { formatDateTime, formatMoney, humanize } from '../format/format.js';
import { hashOf } from '../ui/hash-route.js';
import { useAsync } from '../ui/use-async.js';
import { useLive } from '../ui/use-live.js';
import { Badge, ErrorNote, Loading } from '../ui/widgets.js';
import { mySessions } from './my-sessions.js';

/** Past trips, newest first, each with its receipt once paid. */
export function HistoryView() {
  const sessions = useAsync(mySessions, []);
  useLive(['session'], () => sessions.reload());
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">Receipts and history</h2>
      <ErrorNote error={sessions.error} />
      {!sessions.data ? (
        sessions.loading ? (
          <Loading what="your shopping history" />
        ) : null
      ) : sessions.data.length === 0 ? (
        <p>No shopping trips yet.</p>
      ) : (
        <ul class="plain" data-testid="history">
          {sessions.data.map((s) => (
            <li key={s.session_id} class="panel">
              <div class="spread">
                <strong>{formatDateTime(s.started_at)}</strong>
                <Badge level={s.paid ? 'good' : s.status === 'active' ? 'info' : 'warn'}>
                  {s.paid ? 'Paid' : humanize(s.status)}
                </Badge>
              </div>
              <p class="small">
                Store {s.store_id} · {s.item_count ?? 0} items ·{' '}
                {formatMoney(s.total_cents, s.currency)}
              </p>
              {s.receipt_id ? (
                <a class="button" href={hashOf('receipt', s.receipt_id)}>
                  Open receipt
                </a>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
