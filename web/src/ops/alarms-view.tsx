import { useState } from 'preact/hooks';
import { api } from '../api/platform.js';
import { readStores } from '../api/types.js';
import { formatAgo, formatDateTime, humanize } from '../format/format.js';
import { hashOf } from '../ui/hash-route.js';
import { useAsync } from '../ui/use-async.js';
import { useLive, useNow } from '../ui/use-live.js';
import { usePolling } from '../ui/use-polling.js';
import { Badge, ErrorNote, Loading, OkNote, TableWrap } from '../ui/widgets.js';
import { AlarmActions, doneText, type AlarmDone } from './alarm-actions.js';
import { AlarmDetail } from './alarm-detail.js';
import {
  ALARM_FILTERS,
  ALARMS_REFRESH_MS,
  alarmPaths,
  orderAlarms,
  readingPairs,
  SEVERITY_LEVEL,
  STATE_LEVEL,
  type Alarm,
  type AlarmFilter,
} from './alarm-list.js';

const FILTER_LABEL: Record<AlarmFilter, string> = {
  open: 'Open',
  firing: 'Firing',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  all: 'All',
};

/** The alarms the rules raised (decision 035): open ones first, each acknowledged or resolved here. */
export function AlarmsView({ alarmId }: { alarmId: string | null }) {
  if (alarmId) return <AlarmDetail id={alarmId} />;
  return <AlarmList />;
}

function AlarmList() {
  const now = useNow();
  const [filter, setFilter] = useState<AlarmFilter>('open');
  const [store, setStore] = useState('');
  const [done, setDone] = useState<AlarmDone>();
  const stores = useAsync(() => api.get<unknown>('/v1/stores').then(readStores), []);
  const alarms = useAsync(async () => {
    const lists = await Promise.all(
      alarmPaths(filter, store).map((p) => api.get<{ alarms: Alarm[] }>(p)),
    );
    return orderAlarms(lists.flatMap((l) => l.alarms));
  }, [filter, store]);
  useLive(['alarm'], () => alarms.reload());
  usePolling(alarms.reload, ALARMS_REFRESH_MS, [filter, store]);
  const list = alarms.data;

  return (
    <section aria-labelledby="alarms-title">
      <h2 id="alarms-title">Alarms</h2>
      <div class="filters">
        <div class="field">
          <label for="alarm-state">State</label>
          <select
            id="alarm-state"
            value={filter}
            onChange={(e) => setFilter((e.target as HTMLSelectElement).value as AlarmFilter)}
          >
            {ALARM_FILTERS.map((f) => (
              <option key={f} value={f}>
                {FILTER_LABEL[f]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="alarm-store">Store</label>
          <select
            id="alarm-store"
            value={store}
            onChange={(e) => setStore((e.target as HTMLSelectElement).value)}
          >
            <option value="">All stores</option>
            {(stores.data ?? []).map((s) => (
              <option key={s.storeId} value={s.storeId}>
                {s.name ? `${s.name} (${s.storeId})` : s.storeId}
              </option>
            ))}
          </select>
        </div>
      </div>
      {done ? <OkNote>{doneText(done)}</OkNote> : null}
      <ErrorNote error={alarms.error} />
      {!list ? (
        alarms.loading ? (
          <Loading what="alarms" />
        ) : null
      ) : list.length === 0 ? (
        <p data-testid="alarms-empty" role="status">
          {filter === 'all' ? 'No alarms.' : `No ${filter} alarms.`}
        </p>
      ) : (
        <>
          <p class="small muted" role="status">
            {list.length} alarm{list.length === 1 ? '' : 's'} shown
          </p>
          <TableWrap label="Alarms">
            <table data-testid="alarms">
              <thead>
                <tr>
                  <th scope="col">Alarm</th>
                  <th scope="col">Device</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Since</th>
                  <th scope="col">Reading</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.map((alarm) => (
                  <tr key={alarm.id} data-alarm={alarm.id} data-state={alarm.state}>
                    <td>
                      <div class="row">
                        <Badge level={SEVERITY_LEVEL[alarm.severity] ?? 'unknown'}>
                          {alarm.severity}
                        </Badge>
                        <Badge level={STATE_LEVEL[alarm.state] ?? 'unknown'}>
                          {humanize(alarm.state)}
                        </Badge>
                      </div>
                    </td>
                    <td>
                      <span class="nowrap">
                        {alarm.deviceId ? (
                          <a href={hashOf('device', alarm.deviceId)}>{alarm.deviceId}</a>
                        ) : (
                          '—'
                        )}
                      </span>
                      <br />
                      <span class="small muted nowrap">
                        {alarm.storeId === '*' ? 'whole fleet' : alarm.storeId}
                      </span>
                    </td>
                    <td>
                      <a href={hashOf('alarms', alarm.id)}>{alarm.ruleId}</a>
                    </td>
                    <td class="nowrap">
                      <time dateTime={alarm.firstAt} title={formatDateTime(alarm.firstAt)}>
                        {formatAgo(alarm.firstAt, now)}
                      </time>
                    </td>
                    <td class="mono small" data-testid="reading">
                      <Reading reading={alarm.reading} />
                    </td>
                    <td>
                      <AlarmActions
                        alarm={alarm}
                        onDone={(d) => {
                          setDone(d);
                          alarms.reload();
                        }}
                      />
                    </td>
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

/** Each field and value kept on one line; a long reading wraps between them. */
function Reading({ reading }: { reading: Alarm['reading'] }) {
  const pairs = readingPairs(reading);
  if (pairs.length === 0) return <>—</>;
  return (
    <>
      {pairs.map((pair, i) => (
        <span key={pair}>
          {i > 0 ? ', ' : ''}
          <span class="nowrap">{pair}</span>
        </span>
      ))}
    </>
  );
}
