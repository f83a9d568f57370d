/** Operational alarms (decision 035): firing → acknowledged → resolved; firing → resolved. */
export const ALARM_STATES = ['firing', 'acknowledged', 'resolved'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];
export type AlarmSeverity = 'critical' | 'warning' | 'info';

export interface AlarmView {
  readonly id: string;
  /** Rule and subject: at most one open alarm per key. */
  readonly key: string;
  readonly ruleId: string;
  readonly severity: AlarmSeverity;
  readonly storeId: string;
  /** Null for an alarm about a store or the fleet. */
  readonly deviceId: string | null;
  readonly state: AlarmState;
  readonly firstAt: string;
  readonly lastAt: string;
  /** How many times the condition was seen while this alarm was open. */
  readonly seen: number;
  /** The values that crossed, as last seen. */
  readonly reading: Readonly<Record<string, unknown>>;
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: string | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
}

export interface AlarmHistoryEntry {
  readonly at: string;
  readonly change: 'fired' | 'acknowledged' | 'resolved';
  /** `rule` when the platform made the change, `role:subject` for a person. */
  readonly by: string;
  readonly reading: Readonly<Record<string, unknown>> | null;
}

export interface RaiseAlarm {
  readonly key: string;
  readonly ruleId: string;
  readonly severity: AlarmSeverity;
  readonly storeId: string;
  readonly deviceId: string | null;
  /** ms since epoch. */
  readonly at: number;
  /** The device counter of the message that raised it: a replayed message changes nothing. */
  readonly counter: number | null;
  readonly reading: Readonly<Record<string, unknown>>;
}

/** What a raise did: opened a new alarm, or was the open one seen again (or a replay). */
export interface RaiseOutcome {
  readonly alarm: AlarmView;
  readonly opened: boolean;
}

export type AlarmTransitionResult =
  | { readonly ok: true; readonly alarm: AlarmView }
  | { readonly ok: false; readonly reason: 'unknown-alarm' }
  | { readonly ok: false; readonly reason: 'state'; readonly alarm: AlarmView };

export interface AlarmQuery {
  readonly state?: AlarmState;
  readonly storeId?: string;
  readonly limit: number;
}

export interface StoredRuleSet {
  readonly profile: string;
  readonly document: unknown;
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface AlarmRecords {
  raiseAlarm(raise: RaiseAlarm): Promise<RaiseOutcome>;
  /** Resolves the open alarm of `key` as the platform (`by`: rule); undefined if none is open. */
  clearAlarm(key: string, at: number, by: string): Promise<AlarmView | undefined>;
  transitionAlarm(
    id: string,
    change: { readonly to: 'acknowledged' | 'resolved'; readonly by: string; readonly at: number },
  ): Promise<AlarmTransitionResult>;
  /** Newest first (by when last seen). */
  listAlarms(query: AlarmQuery): Promise<AlarmView[]>;
  getAlarm(id: string): Promise<{ alarm: AlarmView; history: AlarmHistoryEntry[] } | undefined>;
  /** The keys of every alarm not resolved: what the evaluator must know is firing after a restart. */
  openAlarmKeys(): Promise<string[]>;
  listRuleSets(): Promise<StoredRuleSet[]>;
  /** Stores a checked rule set as the profile's next version. */
  putRuleSet(profile: string, document: unknown, by: string, at: number): Promise<StoredRuleSet>;
}
