import { useState } from 'preact/hooks';
import { api } from '../api/platform.js';
import { formatCount, formatDateTime } from '../format/format.js';
import { useAsync } from '../ui/use-async.js';
import { Badge, ErrorNote, Loading, TableWrap } from '../ui/widgets.js';

interface RetentionLine {
  readonly rule: string;
  readonly what: string;
  readonly count: number;
  readonly action: string;
  readonly why: string;
}
interface RetentionReport {
  readonly now: string;
  readonly applied: boolean;
  readonly lines: readonly RetentionLine[];
}
interface Retention {
  readonly policy: readonly {
    rule: string;
    data: string;
    tier: string;
    keepMonths: number;
    from: string;
    then: string;
  }[];
  readonly last:
    | { at: string; outcome: 'ok'; report: RetentionReport }
    | { at: string; outcome: 'failed'; error: string }
    | null;
  readonly nextRunAfter: string | null;
}

const months = (n: number) => (n % 12 === 0 ? `${n / 12} years` : `${n} months`);

/**
 * Retention (decision 063) beside the rest of compliance: the policy per tier, how the platform's
 * daily run last went, and on request what is due now (a dry run at the platform's clock).
 */
export function RetentionPanel() {
  const retention = useAsync(() => api.get<Retention>('/v1/retention'), []);
  const [plan, setPlan] = useState<RetentionReport>();
  const [planning, setPlanning] = useState(false);
  const [planError, setPlanError] = useState<unknown>();
  const r = retention.data;

  async function showPlan() {
    setPlanning(true);
    setPlanError(undefined);
    try {
      setPlan(await api.get<RetentionReport>('/v1/retention/plan'));
    } catch (failure) {
      setPlanError(failure);
    } finally {
      setPlanning(false);
    }
  }

  return (
    <section class="panel" aria-labelledby="retention-title">
      <h3 id="retention-title">Retention</h3>
      <ErrorNote error={retention.error ?? planError} />
      {!r ? (
        retention.loading ? (
          <Loading what="the retention policy" />
        ) : null
      ) : (
        <>
          <p data-testid="retention-last">
            {r.last === null ? (
              'The platform applies the policy once a day; it has not run yet.'
            ) : r.last.outcome === 'ok' ? (
              <>
                <Badge level="good">Applied</Badge> {formatDateTime(r.last.at)}:{' '}
                {formatCount(r.last.report.lines.reduce((sum, l) => sum + l.count, 0))} items.
              </>
            ) : (
              <>
                <Badge level="bad">Failed</Badge> {formatDateTime(r.last.at)}: {r.last.error}
              </>
            )}
            {r.nextRunAfter ? ` Next run after ${formatDateTime(r.nextRunAfter)}.` : null}
          </p>
          <TableWrap label="Retention policy">
            <table data-testid="retention-policy">
              <thead>
                <tr>
                  <th scope="col">Data</th>
                  <th scope="col">Kept</th>
                  <th scope="col">Then</th>
                  {plan ? (
                    <th scope="col" class="num">
                      Due now
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {r.policy.map((p) => {
                  const due = plan?.lines
                    .filter((l) => l.rule === p.rule)
                    .reduce((sum, l) => sum + l.count, 0);
                  return (
                    <tr key={p.data}>
                      <th scope="row">
                        {p.data} <span class="small muted">({p.tier})</span>
                      </th>
                      <td>
                        {months(p.keepMonths)} from {p.from}
                      </td>
                      <td>{p.then}</td>
                      {plan ? <td class="num">{formatCount(due ?? 0)}</td> : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableWrap>
          <p>
            <button type="button" disabled={planning} onClick={() => void showPlan()}>
              {plan ? 'Check again' : 'Show what is due now'}
            </button>
            {plan ? (
              <span class="small muted" role="status">
                {' '}
                Dry run at {formatDateTime(plan.now)}: nothing was changed.
              </span>
            ) : null}
          </p>
        </>
      )}
    </section>
  );
}
