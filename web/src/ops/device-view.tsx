import { useEffect, useState } from 'preact/hooks';
import { path } from '../api/client.js';
import { mentions } from '../api/live.js';
import { api } from '../api/platform.js';
import type { Command, Shadow } from '../api/types.js';
import { formatAgo, formatDateTime } from '../format/format.js';
import { hashOf } from '../ui/hash-route.js';
import { useAsync } from '../ui/use-async.js';
import { useLive, useNow } from '../ui/use-live.js';
import { Badge, ErrorNote, Facts, JsonText, Loading, OkNote, TableWrap } from '../ui/widgets.js';
import { AuditTrail } from './audit-trail.js';

const COMMANDS = ['ping', 'reboot', 'sleep', 'wake', 'sync-catalog'] as const;
const STATUS_LEVEL = {
  pending: 'info',
  succeeded: 'good',
  failed: 'bad',
  rejected: 'warn',
} as const;

/** One device: its shadow, its commands (and a new one), and its audit trail. */
export function DeviceView({ deviceId }: { deviceId: string | null }) {
  const [draft, setDraft] = useState(deviceId ?? '');
  return (
    <>
      <form
        class="panel row"
        onSubmit={(e) => {
          e.preventDefault();
          if (draft.trim()) location.hash = hashOf('device', draft.trim());
        }}
      >
        <div class="field" style={{ flex: '1 1 240px', marginBottom: 0 }}>
          <label for="device-id">Device id</label>
          <input
            id="device-id"
            value={draft}
            autocomplete="off"
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
            placeholder="CART-0001"
          />
        </div>
        <button type="submit" class="primary">
          Open device
        </button>
      </form>
      {deviceId ? (
        <Device key={deviceId} deviceId={deviceId} />
      ) : (
        <p>Open a device from the fleet list, or by its id.</p>
      )}
    </>
  );
}

function Device({ deviceId }: { deviceId: string }) {
  const now = useNow();
  const shadow = useAsync(() => api.get<Shadow>(path`/v1/devices/${deviceId}/shadow`), [deviceId]);
  const commands = useAsync(
    () =>
      api
        .get<{ commands: Command[] }>(path`/v1/devices/${deviceId}/commands?limit=20`)
        .then((b) => b.commands),
    [deviceId],
  );
  useLive(
    ['cart'],
    () => shadow.reload(),
    (e) => mentions(e, deviceId, 'deviceId', 'device_id'),
  );
  const pending = (commands.data ?? []).some((c) => c.status === 'pending');
  // A pending command is asked about again until the device answers or it times out.
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(commands.reload, 2000);
    return () => clearTimeout(timer);
  }, [pending, commands.data]);

  return (
    <>
      <h2>Device {deviceId}</h2>
      <section class="panel" aria-labelledby="shadow-title">
        <h3 id="shadow-title">Shadow</h3>
        <ErrorNote error={shadow.error} />
        {shadow.data ? (
          <>
            <Facts
              items={[
                [
                  'State',
                  shadow.data.inSync ? (
                    <Badge level="good">in sync</Badge>
                  ) : (
                    <Badge level="warn">waiting for the device</Badge>
                  ),
                ],
                ['Desired version', String(shadow.data.desiredVersion)],
                ['Device acknowledged', String(shadow.data.reportedDesiredVersion ?? '—')],
                [
                  'Reported',
                  shadow.data.reportedAt ? formatAgo(shadow.data.reportedAt, now) : 'never',
                ],
              ]}
            />
            <div class="grid">
              <div>
                <h4>Desired</h4>
                <JsonText value={shadow.data.desired} />
              </div>
              <div>
                <h4>Reported</h4>
                <JsonText value={shadow.data.reported} />
              </div>
              <div>
                <h4>Delta</h4>
                <JsonText value={shadow.data.delta} />
              </div>
            </div>
            <DesiredForm deviceId={deviceId} onSaved={shadow.reload} />
          </>
        ) : shadow.loading ? (
          <Loading what="the shadow" />
        ) : null}
      </section>
      <section class="panel" aria-labelledby="commands-title">
        <h3 id="commands-title">Commands</h3>
        <SendCommand deviceId={deviceId} onSent={commands.reload} />
        <ErrorNote error={commands.error} />
        {commands.data ? (
          commands.data.length === 0 ? (
            <p>No commands sent to this device.</p>
          ) : (
            <TableWrap label="Commands">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Command</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Sent</th>
                    <th scope="col">By</th>
                    <th scope="col" class="num">
                      Answer time
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {commands.data.map((c) => (
                    <tr key={c.commandId}>
                      <td>{c.name}</td>
                      <td>
                        <Badge level={STATUS_LEVEL[c.status]}>{c.status}</Badge> {c.code ?? ''}
                        {c.duplicate ? ' (duplicate)' : ''}
                      </td>
                      <td>{formatDateTime(c.sentAt ?? null)}</td>
                      <td>{c.requestedBy ?? '—'}</td>
                      <td class="num">
                        {c.responseMs === null || c.responseMs === undefined
                          ? '—'
                          : `${c.responseMs} ms`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )
        ) : null}
      </section>
      <AuditTrail deviceId={deviceId} />
    </>
  );
}

function SendCommand({ deviceId, onSent }: { deviceId: string; onSent: () => void }) {
  const [name, setName] = useState<string>('ping');
  const [error, setError] = useState<unknown>();
  const [sent, setSent] = useState<string>();
  async function send(e: Event) {
    e.preventDefault();
    setError(undefined);
    setSent(undefined);
    try {
      const answer = await api.post<{ commandId: string }>(path`/v1/devices/${deviceId}/commands`, {
        name,
      });
      setSent(`${name} sent (${answer.commandId}).`);
      onSent();
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <form class="row" onSubmit={send}>
      <div class="field" style={{ marginBottom: 0 }}>
        <label for="command-name">Command</label>
        <select
          id="command-name"
          value={name}
          onChange={(e) => setName((e.target as HTMLSelectElement).value)}
        >
          {COMMANDS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">Send command</button>
      <ErrorNote error={error} />
      {sent ? <OkNote>{sent}</OkNote> : null}
    </form>
  );
}

function DesiredForm({ deviceId, onSaved }: { deviceId: string; onSaved: () => void }) {
  const [text, setText] = useState('{\n  \n}');
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  async function save(e: Event) {
    e.preventDefault();
    setError(undefined);
    setSaved(false);
    let desired: unknown;
    try {
      desired = JSON.parse(text);
    } catch {
      setError(new Error('the change must be a JSON object, e.g. {"telemetry_interval_s": 60}'));
      return;
    }
    try {
      await api.patch(path`/v1/devices/${deviceId}/shadow`, { desired });
      setSaved(true);
      onSaved();
    } catch (failure) {
      setError(failure);
    }
  }
  return (
    <details>
      <summary>Change desired state</summary>
      <form onSubmit={save}>
        <div class="field">
          <label for="desired-patch">
            Keys to change <span class="hint">JSON merged into desired; null removes a key.</span>
          </label>
          <textarea
            id="desired-patch"
            class="mono"
            rows={4}
            value={text}
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          />
        </div>
        <ErrorNote error={error} />
        {saved ? <OkNote>Desired state changed.</OkNote> : null}
        <button type="submit">Change desired state</button>
      </form>
    </details>
  );
}
