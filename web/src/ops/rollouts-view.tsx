import { useEffect, useState } from 'preact/hooks';
import { path } from '../api/client.js';
import { api } from '../api/platform.js';
import type { Rollout } from '../api/types.js';
import { formatDateTime, formatDuration, formatPct, humanize } from '../format/format.js';
import { announce } from '../ui/announcer.js';
import { useAsync } from '../ui/use-async.js';
import { useLive } from '../ui/use-live.js';
import { Badge, ErrorNote, Loading, OkNote, TableWrap } from '../ui/widgets.js';
import { NewRollout } from './new-rollout.js';

const STATE_LEVEL = { running: 'good', halted: 'bad', aborted: 'warn', completed: 'info' } as const;

/** Rollouts, newest first, each watched live: stage, counts, and release or abort. */
export function RolloutsView() {
  const rollouts = useAsync(
    () => api.get<{ rollouts: Rollout[] }>('/v1/ota/rollouts').then((b) => b.rollouts),
    [],
  );
  useLive(['rollout'], () => rollouts.reload());
  // Stage clocks move without events; a running rollout is asked again every 15 s.
  const running = (rollouts.data ?? []).some((r) => r.state === 'running');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(rollouts.reload, 15_000);
    return () => clearInterval(timer);
  }, [running]);

  return (
    <>
      <NewRollout onCreated={rollouts.reload} />
      <section aria-labelledby="rollouts-title">
        <h2 id="rollouts-title">Rollouts</h2>
        <ErrorNote error={rollouts.error} />
        {!rollouts.data ? (
          rollouts.loading ? (
            <Loading what="rollouts" />
          ) : null
        ) : rollouts.data.length === 0 ? (
          <p>No rollouts yet.</p>
        ) : (
          <ul class="plain" data-testid="rollouts">
            {rollouts.data.map((r) => (
              <RolloutItem key={r.rolloutId} rollout={r} onChanged={rollouts.reload} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function RolloutItem({ rollout: r, onChanged }: { rollout: Rollout; onChanged: () => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const t = r.totals;
  const width = (n: number) => `${t.devices === 0 ? 0 : (100 * n) / t.devices}%`;

  async function act(action: 'release' | 'abort') {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      await api.post(
        path`/v1/ota/rollouts/${r.rolloutId}/${action}`,
        reason.trim() ? { reason: reason.trim() } : {},
      );
      const text = `Rollout of ${r.targetVersion} ${action === 'release' ? 'released' : 'aborted'}.`;
      setDone(text);
      announce(text);
      onChanged();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li class="panel" data-rollout={r.rolloutId}>
      <div class="spread">
        <h3>
          {r.deviceClass} firmware {r.targetVersion}
        </h3>
        <Badge level={STATE_LEVEL[r.state]}>{humanize(r.state)}</Badge>
      </div>
      <p class="small muted">
        Created {formatDateTime(r.createdAt)} by {r.createdBy}. Stage {r.stage.index + 1} of{' '}
        {r.stages.length}: <strong>{r.stage.name}</strong>
        {r.state === 'running' ? `, ${formatDuration(r.stage.remainingMs)} left` : ''}.
      </p>
      {r.haltReason ? <p class="note error">Halted: {r.haltReason}</p> : null}
      <div class="bar" aria-hidden="true">
        <span class="on" style={{ width: width(t.onNewVersion) }} />
        <span class="sent" style={{ width: width(t.sent) }} />
        <span class="back" style={{ width: width(t.rolledBack) }} />
      </div>
      <dl class="stats" aria-label={`Rollout ${r.targetVersion} totals`}>
        <div>
          <dt>On new version</dt>
          <dd data-testid="on-new-version">
            {t.onNewVersion} <span class="small muted">({formatPct(t.onNewVersionPct, 1)})</span>
          </dd>
        </div>
        <div>
          <dt>Rolled back</dt>
          <dd data-testid="rolled-back">
            {t.rolledBack} <span class="small muted">({formatPct(t.rolledBackPct, 1)})</span>
          </dd>
        </div>
        <div>
          <dt>Updating</dt>
          <dd>{t.sent}</dd>
        </div>
        <div>
          <dt>Waiting</dt>
          <dd>{t.pending}</dd>
        </div>
        <div>
          <dt>Failed or refused</dt>
          <dd>{t.failed + t.rejected + t.timedOut}</dd>
        </div>
        <div>
          <dt>Devices</dt>
          <dd>{t.devices}</dd>
        </div>
      </dl>
      <details>
        <summary>Stages and history</summary>
        <TableWrap label="Stages">
          <table>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col" class="num">
                  Devices
                </th>
                <th scope="col" class="num">
                  On new version
                </th>
                <th scope="col" class="num">
                  Rolled back
                </th>
                <th scope="col" class="num">
                  Updating
                </th>
                <th scope="col" class="num">
                  Waiting
                </th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {r.stages.map((s) => (
                <tr key={s.index} aria-current={s.index === r.stage.index ? 'step' : undefined}>
                  <td>
                    {s.name}
                    {s.index === r.stage.index ? ' (current)' : ''}
                  </td>
                  <td class="num">{s.devices}</td>
                  <td class="num">{s.onNewVersion}</td>
                  <td class="num">{s.rolledBack}</td>
                  <td class="num">{s.sent}</td>
                  <td class="num">{s.pending}</td>
                  <td>{formatDuration(s.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        <ol class="small">
          {[...r.history].reverse().map((h, i) => (
            <li key={i}>
              {formatDateTime(h.at)}: {h.action} by {h.by}
              {h.detail ? ` (${h.detail})` : ''}
            </li>
          ))}
        </ol>
      </details>
      {r.state === 'running' || r.state === 'halted' ? (
        <form class="row" onSubmit={(e) => e.preventDefault()}>
          <div class="field" style={{ flex: '1 1 220px', marginBottom: 0 }}>
            <label for={`reason-${r.rolloutId}`}>Reason (recorded)</label>
            <input
              id={`reason-${r.rolloutId}`}
              value={reason}
              maxLength={500}
              onInput={(e) => setReason((e.target as HTMLInputElement).value)}
            />
          </div>
          {r.state === 'halted' ? (
            <button
              type="button"
              class="primary"
              disabled={busy}
              onClick={() => void act('release')}
            >
              Release
            </button>
          ) : null}
          <button type="button" class="danger" disabled={busy} onClick={() => void act('abort')}>
            Abort
          </button>
        </form>
      ) : null}
      <ErrorNote error={error} />
      {done ? <OkNote>{done}</OkNote> : null}
    </li>
  );
}
