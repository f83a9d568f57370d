import { useState } from 'preact/hooks';
import { path } from '../api/client.js';
import { api } from '../api/platform.js';
import type { TrailEntry } from '../api/types.js';
import { formatDateTime, humanize } from '../format/format.js';
import { useAsync } from '../ui/use-async.js';
import { ErrorNote, InfoNote, Loading, TableWrap } from '../ui/widgets.js';

interface TrailPage {
  readonly auditConfigured: boolean;
  readonly entries: TrailEntry[];
  readonly next: string | null;
}

/** A cart's trail: who did what to it (audit) beside what it reported (faults, command answers). */
export function AuditTrail({ deviceId }: { deviceId: string }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const trail = useAsync(async () => {
    const pages: TrailPage[] = [];
    let after: string | null = null;
    for (let i = 0; i <= cursors.length; i++) {
      const page: TrailPage = await api.get(
        path`/v1/carts/${deviceId}/audit` +
          `?limit=50${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      );
      pages.push(page);
      after = page.next;
      if (!after) break;
    }
    return {
      entries: pages.flatMap((p) => p.entries),
      next: after,
      auditConfigured: pages[0]?.auditConfigured ?? false,
    };
  }, [deviceId, cursors.length]);

  return (
    <section class="panel" aria-labelledby="trail-title">
      <h3 id="trail-title">Audit trail</h3>
      <ErrorNote error={trail.error} />
      {!trail.data ? (
        trail.loading ? (
          <Loading what="the trail" />
        ) : null
      ) : (
        <>
          {!trail.data.auditConfigured ? (
            <InfoNote>
              No audit log is configured: only the device's own events are listed.
            </InfoNote>
          ) : null}
          {trail.data.entries.length === 0 ? (
            <p>Nothing recorded for this device yet.</p>
          ) : (
            <TableWrap label="Audit trail">
              <table data-testid="audit-trail">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Source</th>
                    <th scope="col">What</th>
                    <th scope="col">Who</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {trail.data.entries.map((e) => (
                    <tr key={`${e.source}-${e.ref}`}>
                      <td>{formatDateTime(e.at)}</td>
                      <td>{humanize(e.source)}</td>
                      <td>
                        {humanize(e.action)}
                        {e.purpose ? <span class="small muted"> — {e.purpose}</span> : null}
                      </td>
                      <td>{e.actor ? `${e.actor.role}:${e.actor.subject}` : 'the device'}</td>
                      <td>
                        <code class="small">{JSON.stringify(e.detail)}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          {trail.data.next ? (
            <button type="button" onClick={() => setCursors([...cursors, trail.data!.next!])}>
              Show older entries
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
