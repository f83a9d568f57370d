import { useState } from 'preact/hooks';
import { api } from '../api/platform.js';
import type { DeadLetter } from '../api/types.js';
import { formatDateTime } from '../format/format.js';
import { announce } from '../ui/announcer.js';
import { hashOf } from '../ui/hash-route.js';
import { useAsync } from '../ui/use-async.js';
import { useLive } from '../ui/use-live.js';
import { ErrorNote, JsonText, Loading, OkNote, TableWrap } from '../ui/widgets.js';

/** Events the entity store would not take, and the replay that re-applies them without duplicates. */
export function DeadLetters() {
  const letters = useAsync(
    () => api.get<{ total: number; deadLetters: DeadLetter[] }>('/v1/dead-letters?limit=200'),
    [],
  );
  useLive(['dead-letter'], () => letters.reload());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<unknown>();

  async function replay() {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const answer = await api.post<unknown>('/v1/dead-letters/replay', {});
      setResult(answer);
      announce('Dead letters replayed');
      letters.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const total = letters.data?.total ?? 0;
  return (
    <section aria-labelledby="dlq-title">
      <div class="spread">
        <h2 id="dlq-title">Dead letters</h2>
        <button
          type="button"
          class="primary"
          disabled={busy || total === 0}
          onClick={() => void replay()}
        >
          Replay all dead letters
        </button>
      </div>
      <ErrorNote error={letters.error ?? error} />
      {result !== undefined ? (
        <OkNote>
          Replay done. <JsonText value={result} />
        </OkNote>
      ) : null}
      {!letters.data ? (
        letters.loading ? (
          <Loading what="dead letters" />
        ) : null
      ) : total === 0 ? (
        <p data-testid="dlq-empty">No dead letters: every event reached the entity store.</p>
      ) : (
        <>
          <p role="status">
            {total} dead letter{total === 1 ? '' : 's'}
          </p>
          <TableWrap label="Dead letters">
            <table data-testid="dead-letters">
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col">Event</th>
                  <th scope="col">Error</th>
                  <th scope="col" class="num">
                    Attempts
                  </th>
                  <th scope="col">Last failed</th>
                </tr>
              </thead>
              <tbody>
                {letters.data.deadLetters.map((l) => (
                  <tr key={String(l.id)}>
                    <td>
                      <a href={hashOf('device', l.deviceId)}>{l.deviceId}</a>
                    </td>
                    <td>
                      {l.type} #{l.counter}
                    </td>
                    <td>{l.error}</td>
                    <td class="num">{l.attempts}</td>
                    <td>{formatDateTime(l.lastFailedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}
