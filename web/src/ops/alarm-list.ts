/**
 * Alarms as the ops console reads GET /v1/alarms (decision 035), and the order an operator works
 * them in. Written out here: the page never imports server code.
 */

export const ALARM_STATES = ['firing', 'acknowledged', 'resolved'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];
export type AlarmSeverity = 'critical' | 'warning' | 'info';

export interface Alarm {
  readonly id: string;
  readonly key: string;
  readonly ruleId: string;
  readonly severity: AlarmSeverity;
  readonly storeId: string;
  readonly deviceId: string | null;
  readonly state: AlarmState;
  readonly firstAt: string;
  readonly lastAt?: string;
  readonly seen?: number;
  readonly reading?: Record<string, unknown>;
  readonly acknowledgedBy?: string | null;
  readonly acknowledgedAt?: string | null;
  readonly resolvedBy?: string | null;
  readonly resolvedAt?: string | null;
}

export interface AlarmChange {
  readonly at: string;
  readonly change: 'fired' | 'acknowledged' | 'resolved';
  readonly by: string;
  readonly reading: Record<string, unknown> | null;
}

/**
 * How often an alarms view reads again besides the stream's `alarm` events (decision 039): a
 * backstop for a stream that is down or reconnecting, not the way news arrives.
 */
export const ALARMS_REFRESH_MS = 30_000;

/** What the state filter offers: the open ones (firing and acknowledged), one state, or all. */
export const ALARM_FILTERS = ['open', ...ALARM_STATES, 'all'] as const;
export type AlarmFilter = (typeof ALARM_FILTERS)[number];

export function isAlarmFilter(value: string | null | undefined): value is AlarmFilter {
  return (ALARM_FILTERS as readonly string[]).includes(value ?? '');
}

/** The most alarms one state's list holds in the page (the API's own limit). */
export const ALARMS_PER_STATE = 500;

/**
 * The requests behind a filter, one per state: the API lists the most recently seen first across
 * states, so one list of "all" could be filled by resolved alarms and hide a firing one.
 */
export function alarmPaths(filter: AlarmFilter, store = ''): string[] {
  const states: readonly AlarmState[] =
    filter === 'open' ? ['firing', 'acknowledged'] : filter === 'all' ? ALARM_STATES : [filter];
  return states.map((state) => {
    const query = new URLSearchParams({ state, limit: String(ALARMS_PER_STATE) });
    if (store.trim() !== '') query.set('store', store.trim());
    return `/v1/alarms?${query.toString()}`;
  });
}

const STATE_RANK: Record<AlarmState, number> = { firing: 0, acknowledged: 1, resolved: 2 };
const SEVERITY_RANK: Record<AlarmSeverity, number> = { critical: 0, warning: 1, info: 2 };

function time(iso: string | null | undefined): number {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * The order to work them in: firing, then acknowledged, then resolved; within a state the most
 * severe first, then the most recently seen; ids break ties so the order is stable. An alarm
 * listed twice (it changed state between two requests) is kept once, in its later state.
 */
export function orderAlarms(alarms: readonly Alarm[]): Alarm[] {
  const byId = new Map<string, Alarm>();
  for (const alarm of alarms) {
    const known = byId.get(alarm.id);
    if (!known || STATE_RANK[alarm.state] > STATE_RANK[known.state]) byId.set(alarm.id, alarm);
  }
  return [...byId.values()].sort(
    (a, b) =>
      (STATE_RANK[a.state] ?? 3) - (STATE_RANK[b.state] ?? 3) ||
      (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3) ||
      time(b.lastAt ?? b.firstAt) - time(a.lastAt ?? a.firstAt) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The reading that fired it as `field value` pairs: `battery_pct 12`, `door open`. */
export function readingPairs(reading: Record<string, unknown> | null | undefined): string[] {
  return Object.entries(reading ?? {}).map(([field, value]) => {
    const shown =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);
    return `${field} ${shown}`;
  });
}

/** The reading as one line: `battery_pct 12, temperature_c 9.5`; an em dash for none. */
export function describeReading(reading: Record<string, unknown> | null | undefined): string {
  const pairs = readingPairs(reading);
  return pairs.length === 0 ? '—' : pairs.join(', ');
}

/** What a person may do to an alarm in this state (the API answers 409 to the rest). */
export function alarmActions(state: AlarmState): ('acknowledge' | 'resolve')[] {
  if (state === 'firing') return ['acknowledge', 'resolve'];
  if (state === 'acknowledged') return ['resolve'];
  return [];
}

/** The badge level of a severity and of a state. */
export const SEVERITY_LEVEL = { critical: 'bad', warning: 'warn', info: 'info' } as const;
export const STATE_LEVEL = { firing: 'bad', acknowledged: 'warn', resolved: 'good' } as const;
