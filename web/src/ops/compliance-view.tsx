import { api } from '../api/platform.js';
import { formatDateTime, humanize } from '../format/format.js';
import { useAsync } from '../ui/use-async.js';
import { Badge, ErrorNote, InfoNote, JsonText, Loading, TableWrap } from '../ui/widgets.js';
import { CountsView } from './counts-view.js';
import { RetentionPanel } from './retention-panel.js';

interface Compliance {
  readonly generatedAt: string;
  readonly piiAccess: {
    configured: boolean;
    note?: string;
    since?: string;
    total?: number;
    byAction?: Record<string, number>;
    byPurpose?: { action: string; purpose: string; count: number }[];
  };
  readonly auditChain: Record<string, unknown> & { configured: boolean };
  readonly dataSubjectRequests: { source: string; note?: string; open: unknown[] };
  readonly residency: { source: string; note?: string; report: unknown };
}

/** Who read personal data and why, whether the audit chain holds, open DSARs and residency. */
export function ComplianceView() {
  const report = useAsync(() => api.get<Compliance>('/v1/compliance'), []);
  const r = report.data;
  const chainOk = r && (r.auditChain['ok'] === true || r.auditChain['valid'] === true);
  return (
    <section aria-labelledby="compliance-title">
      <h2 id="compliance-title">Compliance</h2>
      <ErrorNote error={report.error} />
      {!r ? (
        report.loading ? (
          <Loading what="the compliance report" />
        ) : null
      ) : (
        <>
          <p class="small muted">Generated {formatDateTime(r.generatedAt)}.</p>
          <section class="panel" aria-labelledby="chain-title">
            <h3 id="chain-title">Audit chain</h3>
            {!r.auditChain.configured ? (
              <InfoNote>No audit log is configured.</InfoNote>
            ) : (
              <>
                <p>
                  {chainOk ? (
                    <Badge level="good">Chain verified</Badge>
                  ) : (
                    <Badge level="bad">Chain does not verify</Badge>
                  )}
                </p>
                <CountsView
                  value={Object.fromEntries(
                    Object.entries(r.auditChain).filter(([k]) => k !== 'configured'),
                  )}
                  label="Audit chain"
                />
              </>
            )}
          </section>
          <section class="panel" aria-labelledby="pii-title">
            <h3 id="pii-title">Personal data access, last 30 days</h3>
            {!r.piiAccess.configured ? (
              <InfoNote>{r.piiAccess.note ?? 'No audit log is configured.'}</InfoNote>
            ) : (
              <>
                <p>
                  {r.piiAccess.total ?? 0} records since {formatDateTime(r.piiAccess.since)}.
                </p>
                <TableWrap label="Personal data access by purpose">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Action</th>
                        <th scope="col">Purpose</th>
                        <th scope="col" class="num">
                          Count
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {(r.piiAccess.byPurpose ?? []).map((p) => (
                        <tr key={`${p.action}-${p.purpose}`}>
                          <td>{humanize(p.action)}</td>
                          <td>{p.purpose}</td>
                          <td class="num">{p.count}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              </>
            )}
          </section>
          <section class="panel" aria-labelledby="dsar-title">
            <h3 id="dsar-title">Open data-subject requests</h3>
            {r.dataSubjectRequests.source === 'none' ? (
              <InfoNote>{r.dataSubjectRequests.note}</InfoNote>
            ) : null}
            {r.dataSubjectRequests.open.length === 0 ? (
              <p>None open.</p>
            ) : (
              <CountsView value={{ open: r.dataSubjectRequests.open }} label="Open requests" />
            )}
          </section>
          <section class="panel" aria-labelledby="residency-title">
            <h3 id="residency-title">Data residency</h3>
            {r.residency.source === 'none' ? (
              <InfoNote>{r.residency.note}</InfoNote>
            ) : (
              <JsonText value={r.residency.report} />
            )}
          </section>
          <RetentionPanel />
        </>
      )}
    </section>
  );
}
