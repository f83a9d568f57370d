import { useState } from 'preact/hooks';
import { path } from '../api/client.js';
import { mentions } from '../api/live.js';
import { api } from '../api/platform.js';
import { formatDateTime, humanize } from '../format/format.js';
import { hashOf } from '../ui/hash-route.js';
import { useAsync } from '../ui/use-async.js';
import { useLive } from '../ui/use-live.js';
import { usePolling } from '../ui/use-polling.js';
import { Badge, ErrorNote, Facts, Loading, OkNote, TableWrap } from '../ui/widgets.js';
import { AlarmActions, doneText, type AlarmDone } from './alarm-actions.js';
import {
  ALARMS_REFRESH_MS,
  describeReading,
  SEVERITY_LEVEL,
  STATE_LEVEL,
  type Alarm,
  type AlarmChange,
} from './alarm-list.js';

/** One alarm: what fired it, who acknowledged and resolved it, and its history of changes. */
export function AlarmDetail({ id }: { id: string }) {
  const [done, setDone] = useState<AlarmDone>();
  const found = useAsync(
    () => api.get<{ alarm: Alarm; history: AlarmChange[] }>(path`/v1/alarms/${id}`),
    [id],
  );
  useLive(
    ['alarm'],
    () => found.reload(),
    (e) => mentions(e, id, 'id'),
  );
  usePolling(found.reload, ALARMS_REFRESH_MS, [id]);
  const alarm = found.data?.alarm;

  return (
    <section aria-labelledby="alarm-title">
      <p>
        <a href={hashOf('alarms')}>All alarms</a>
      </p>
      <h2 id="alarm-title">
        Alarm {alarm ? `${alarm.ruleId}${alarm.deviceId ? ` on ${alarm.deviceId}` : ''}` : id}
      </h2>
      <ErrorNote error={found.error} />
      {done ? <OkNote>{doneText(done)}</OkNote> : null}
      {!alarm || !found.data ? (
        found.loading ? (
          <Loading what="the alarm" />
        ) : null
      ) : (
        <>
          <div class="panel" data-testid="alarm-detail" data-state={alarm.state}>
            <Facts
              items={[
                [
                  'State',
                  <Badge level={STATE_LEVEL[alarm.state] ?? 'unknown'}>
                    {humanize(alarm.state)}
                  </Badge>,
                ],
                [
                  'Severity',
                  <Badge level={SEVERITY_LEVEL[alarm.severity] ?? 'unknown'}>
                    {alarm.severity}
                  </Badge>,
                ],
                ['Rule', alarm.ruleId],
                [
                  'Device',
                  alarm.deviceId ? (
                    <a href={hashOf('device', alarm.deviceId)}>{alarm.deviceId}</a>
                  ) : (
                    '—'
                  ),
                ],
                ['Store', alarm.storeId],
                ['First fired', formatDateTime(alarm.firstAt)],
                ['Last seen', formatDateTime(alarm.lastAt)],
                ['Times seen', String(alarm.seen ?? 1)],
                ['Reading', <span class="mono">{describeReading(alarm.reading)}</span>],
                ...(alarm.acknowledgedBy
                  ? [
                      [
                        'Acknowledged',
                        `${formatDateTime(alarm.acknowledgedAt)} by ${alarm.acknowledgedBy}`,
                      ] as [string, string],
                    ]
                  : []),
                ...(alarm.resolvedBy
                  ? [
                      [
                        'Resolved',
                        `${formatDateTime(alarm.resolvedAt)} by ${alarm.resolvedBy}`,
                      ] as [string, string],
                    ]
                  : []),
              ]}
            />
            <AlarmActions
              alarm={alarm}
              onDone={(d) => {
                setDone(d);
                found.reload();
              }}
            />
          </div>
          <h3 id="alarm-history-title">History</h3>
          <TableWrap label="Alarm history">
            <table data-testid="alarm-history">
              <thead>
                <tr>
                  <th scope="col">At</th>
                  <th scope="col">Change</th>
                  <th scope="col">By</th>
                  <th scope="col">Reading</th>
                </tr>
              </thead>
              <tbody>
                {found.data.history.map((h, i) => (
                  <tr key={`${h.at}-${h.change}-${i}`}>
                    <td>{formatDateTime(h.at)}</td>
                    <td>{humanize(h.change)}</td>
                    <td>{h.by}</td>
                    <td class="mono small">{describeReading(h.reading)}</td>
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
