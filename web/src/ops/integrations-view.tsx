import { useState } from 'preact/hooks';
import { api } from '../api/platform.js';
import type { IntegrationListing, ParkedEvent } from '../api/types.js';
import { formatCount, formatDateTime } from '../format/format.js';
import { announce } from '../ui/announcer.js';
import { usePolling } from '../ui/use-polling.js';
import { useAsync } from '../ui/use-async.js';
import { Badge, ErrorNote, InfoNote, Loading, TableWrap } from '../ui/widgets.js';

type Integration = IntegrationListing['integrations'][number];

function where(i: Integration): string {
  return i.sink.kind === 'webhook' ? i.sink.url : `${i.sink.url} ${i.sink.subject}`;
}

function matchText(i: Integration): string {
  const classes = i.match.deviceClass?.join(', ') ?? 'every class';
  const types = i.match.type?.join(', ') ?? 'every type';
  return `${classes} · ${types}`;
}

/**
 * Integrations (decision 058): where stored device messages go, how far behind each integration
 * is, whether it is failing, and the events it parked (onRefused: dead-letter) with a redeliver
 * and a discard each. Changing the document stays with `fleetplane integrations put` or the API.
 */
export function IntegrationsView() {
  const listing = useAsync(() => api.get<IntegrationListing>('/v1/integrations'), []);
  usePolling(() => listing.reload(), 5000, []);
  // What the last redeliver or discard did, said here rather than in the integration's panel:
  // the panel goes when its last parked event does, and the answer must outlive it.
  const [said, setSaid] = useState<string>();
  const l = listing.data;
  return (
    <section aria-labelledby="integrations-title">
      <h2 id="integrations-title">Integrations</h2>
      <ErrorNote error={listing.error} />
      {!l ? (
        listing.loading ? (
          <Loading what="integrations" />
        ) : null
      ) : l.integrations.length === 0 ? (
        <InfoNote>
          No integrations. Stored device messages can go to a webhook or a JetStream subject:{' '}
          <code>fleetplane integrations put FILE</code>.
        </InfoNote>
      ) : (
        <>
          {said ? <p role="status">{said}</p> : null}
          <TableWrap label="Integrations">
            <table data-testid="integrations">
              <thead>
                <tr>
                  <th scope="col">Integration</th>
                  <th scope="col">State</th>
                  <th scope="col" class="wide-only">
                    Sends
                  </th>
                  <th scope="col" class="num">
                    Behind
                  </th>
                  <th scope="col" class="num wide-only">
                    Delivered
                  </th>
                  <th scope="col" class="num">
                    Parked
                  </th>
                  <th scope="col" class="wide-only">
                    Last error
                  </th>
                </tr>
              </thead>
              <tbody>
                {l.integrations.map((i) => {
                  const s = l.status.find((x) => x.id === i.id);
                  return (
                    <tr key={i.id}>
                      <th scope="row">
                        {i.id}
                        <div class="small muted">
                          {i.sink.kind} {where(i)}
                        </div>
                      </th>
                      <td>
                        {!i.enabled ? (
                          <Badge level="info">Disabled</Badge>
                        ) : s?.failing ? (
                          <Badge level="bad">Failing</Badge>
                        ) : (
                          <Badge level="good">Delivering</Badge>
                        )}
                      </td>
                      <td class="wide-only">{matchText(i)}</td>
                      <td class="num">{formatCount(s?.lag ?? 0)}</td>
                      <td class="num wide-only">{formatCount(s?.delivered ?? 0)}</td>
                      <td class="num">{formatCount(s?.deadLetters ?? 0)}</td>
                      <td class="wide-only">{s?.lastError ?? '–'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableWrap>
          {l.integrations
            .filter((i) => (l.status.find((x) => x.id === i.id)?.deadLetters ?? 0) > 0)
            .map((i) => (
              <ParkedEvents
                key={i.id}
                id={i.id}
                count={l.status.find((x) => x.id === i.id)?.deadLetters ?? 0}
                said={setSaid}
                changed={() => listing.reload()}
              />
            ))}
        </>
      )}
    </section>
  );
}

/** One integration's parked events, each with a redeliver and a discard. */
function ParkedEvents(props: {
  id: string;
  count: number;
  said: (text: string | undefined) => void;
  changed: () => void;
}) {
  const { id, count, said: setSaid, changed } = props;
  const path = `/v1/integrations/${encodeURIComponent(id)}/dead-letters`;
  // Read again when the count the listing polls for moves (the runner parked another).
  const parked = useAsync(
    () => api.get<{ total: number; deadLetters: ParkedEvent[] }>(`${path}?limit=100`),
    [id, count],
  );
  const [busy, setBusy] = useState<number>();
  // Discarding is for good: the first click asks, the second does it.
  const [confirming, setConfirming] = useState<number>();
  const [error, setError] = useState<unknown>();

  async function act(event: ParkedEvent, action: 'redeliver' | 'discard') {
    setBusy(event.seq);
    setConfirming(undefined);
    setError(undefined);
    setSaid(undefined);
    try {
      if (action === 'discard') {
        await api.delete(`${path}/${event.seq}`);
        setSaid(`Discarded ${event.deliveryId}.`);
      } else {
        const result = await api.post<{ outcome: string; error?: string }>(
          `${path}/${event.seq}/redeliver`,
        );
        setSaid(
          result.outcome === 'delivered'
            ? `Delivered ${event.deliveryId}.`
            : `${event.deliveryId} was refused again (${result.error ?? 'no reason'}); it stays parked.`,
        );
      }
      announce(action === 'discard' ? 'Event discarded' : 'Redelivery done');
      parked.reload();
      changed();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(undefined);
    }
  }

  const headingId = `parked-${id}`;
  return (
    <section class="panel" aria-labelledby={headingId}>
      <h3 id={headingId}>Parked by {id}</h3>
      <p class="small muted">
        Its receiver refused these on their content (HTTP 400, 413, 415 or 422, three times in a
        row). Redeliver sends one again, out of order, once the receiver is fixed.
      </p>
      <ErrorNote error={parked.error ?? error} />
      {parked.data ? (
        <TableWrap label={`Events parked by ${id}`}>
          <table data-testid={`parked-${id}`}>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col" class="wide-only">
                  Parked
                </th>
                <th scope="col">Answer</th>
                <th scope="col" class="num wide-only">
                  Refusals
                </th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {parked.data.deadLetters.map((event) => (
                <tr key={event.seq}>
                  <td class="mono nowrap">{event.deliveryId}</td>
                  <td class="wide-only">{formatDateTime(event.at)}</td>
                  <td>{event.error}</td>
                  <td class="num wide-only">{event.refusals}</td>
                  <td class="actions">
                    <button
                      type="button"
                      disabled={busy !== undefined}
                      aria-label={`Redeliver ${event.deliveryId}`}
                      onClick={() => void act(event, 'redeliver')}
                    >
                      Redeliver
                    </button>{' '}
                    {confirming === event.seq ? (
                      <button
                        type="button"
                        class="danger primary"
                        disabled={busy !== undefined}
                        aria-label={`Confirm discarding ${event.deliveryId}`}
                        onClick={() => void act(event, 'discard')}
                      >
                        Discard for good
                      </button>
                    ) : (
                      <button
                        type="button"
                        class="danger"
                        disabled={busy !== undefined}
                        aria-label={`Discard ${event.deliveryId}`}
                        onClick={() => setConfirming(event.seq)}
                      >
                        Discard
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : parked.loading ? (
        <Loading what="parked events" />
      ) : null}
    </section>
  );
}
