import { DEVICE_CLASSES, type DeviceClass } from '../../contract/ids.js';
import type { IngestedEvent } from '../../stores/entities/entity-store.js';
import type {
  AlarmRecords,
  AlarmTransitionResult,
  AlarmView,
} from '../../stores/entities/alarms/alarm-records.js';
import type { Logger } from '../../shared/observability/logger.js';
import { compileRuleSet } from './compiled-rules.js';
import { DEFAULT_RULE_SETS } from './default-rules.js';
import { RuleEvaluator, type RuleTransition } from './rule-evaluator.js';
import { checkAnyRuleSet, isFleetRuleSet, type AnyRuleSet } from './fleet-rule-check.js';
import { DEFAULT_FLEET_RULES, isFleetRuleId, type FleetRuleSet } from './fleet-rule-schema.js';
import type { FleetSignals } from './fleet-signals.js';
import { FleetWatch } from './fleet-watch.js';
import type { RuleSetProblem } from './rule-set-check.js';
import { SILENT_RULE, SilenceWatch } from './silence-watch.js';

/** What webhooks and the live stream are told (decision 035). */
export interface AlarmEvent {
  readonly kind: 'alarm.fired' | 'alarm.acknowledged' | 'alarm.resolved';
  readonly alarm: AlarmView;
}

/** A profile's rules as they stand: stored by an operator, or the defaults. */
export interface ActiveRuleSet {
  readonly profile: DeviceClass | 'fleet';
  readonly source: 'stored' | 'default';
  readonly version: number;
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
  readonly ruleSet: AnyRuleSet;
}

export type PutRuleSetResult =
  | { readonly ok: true; readonly active: ActiveRuleSet }
  | { readonly ok: false; readonly problem: RuleSetProblem };

/** `rule:device`: rule ids have no colon, so the key splits at its first. */
export function alarmKey(ruleId: string, deviceId: string): string {
  return `${ruleId}:${deviceId}`;
}

/**
 * Judges every stored message against its profile's rules, after projection (never before the
 * PUBACK), and keeps the alarms: a firing opens or bumps one, a clearing resolves it. Rule sets
 * change at run time: the next message is judged by the new set, no restart.
 */
export class AlarmService {
  readonly #evaluator = new RuleEvaluator();
  readonly #silence = new SilenceWatch();
  readonly #active = new Map<DeviceClass | 'fleet', ActiveRuleSet>();
  readonly #fleet: FleetWatch | undefined;
  #fleetRules: FleetRuleSet = DEFAULT_FLEET_RULES;
  /** Keys of the open fleet alarms: a tick resolves those whose condition no longer holds. */
  readonly #fleetOpen = new Set<string>();

  constructor(
    private readonly options: {
      readonly records: AlarmRecords;
      readonly log: Logger;
      readonly now: () => number;
      /** Told of every change of an alarm's state; its failures are logged, never thrown. */
      readonly notify?: (event: AlarmEvent) => Promise<void> | void;
      /** What fleet rules read; without it, only message rules and silence are judged. */
      readonly fleet?: FleetSignals;
    },
  ) {
    this.#fleet = options.fleet ? new FleetWatch(options.fleet) : undefined;
  }

  /** Loads the stored rule sets (defaults for the rest) and what was firing before a restart. */
  async start(): Promise<void> {
    for (const set of [...DEFAULT_RULE_SETS, DEFAULT_FLEET_RULES]) {
      this.#use({
        profile: set.profile,
        source: 'default',
        version: 0,
        updatedAt: null,
        updatedBy: null,
        ruleSet: set,
      });
    }
    for (const stored of await this.options.records.listRuleSets()) {
      const checked = checkAnyRuleSet(stored.document);
      if (!checked.ok) {
        // Stored by an older version whose schema allowed it: keep what is running, say so.
        this.options.log.error(
          { profile: stored.profile, problem: checked.problem },
          'a stored rule set no longer passes its checks; the defaults stay in force',
        );
        continue;
      }
      this.#use({
        profile: checked.ruleSet.profile,
        source: 'stored',
        version: stored.version,
        updatedAt: stored.updatedAt,
        updatedBy: stored.updatedBy,
        ruleSet: checked.ruleSet,
      });
    }
    for (const key of await this.options.records.openAlarmKeys()) {
      const at = key.indexOf(':');
      const [ruleId, deviceId] = [key.slice(0, at), key.slice(at + 1)];
      if (ruleId === SILENT_RULE) this.#silence.alreadySilent(deviceId);
      else if (isFleetRuleId(ruleId)) this.#fleetOpen.add(key);
      else this.#evaluator.seedFiring(ruleId, deviceId);
    }
  }

  ruleSets(): ActiveRuleSet[] {
    return [...DEVICE_CLASSES, 'fleet' as const].flatMap((p) => this.#active.get(p) ?? []);
  }

  async putRuleSet(document: unknown, by: string): Promise<PutRuleSetResult> {
    const checked = checkAnyRuleSet(document);
    if (!checked.ok) return checked;
    const stored = await this.options.records.putRuleSet(
      checked.ruleSet.profile,
      checked.ruleSet,
      by,
      this.options.now(),
    );
    const active: ActiveRuleSet = {
      profile: checked.ruleSet.profile,
      source: 'stored',
      version: stored.version,
      updatedAt: stored.updatedAt,
      updatedBy: stored.updatedBy,
      ruleSet: checked.ruleSet,
    };
    this.#use(active);
    this.options.log.info(
      { profile: active.profile, version: active.version, by },
      'rule set changed',
    );
    return { ok: true, active };
  }

  /** A projection listener (EntityProjector.onApplied). */
  readonly applied = async (events: readonly IngestedEvent[]): Promise<void> => {
    for (const event of events) {
      if (this.#silence.observe(event) || this.#silence.takePending(event.deviceId)) {
        const alarm = await this.options.records.clearAlarm(
          alarmKey(SILENT_RULE, event.deviceId),
          event.receivedAt,
          'rule',
        );
        if (alarm) await this.#tell({ kind: 'alarm.resolved', alarm });
      }
      const transitions = this.#evaluator.judge({
        deviceId: event.deviceId,
        storeId: event.storeId,
        deviceClass: event.deviceClass,
        type: event.type,
        at: event.deviceTime,
        counter: event.counter,
        body: event.message as unknown as Readonly<Record<string, unknown>>,
      });
      for (const transition of transitions) await this.#apply(transition);
    }
  };

  /**
   * Raises `silent` for devices quiet past their profile's limit (the platform calls this on a
   * timer). Returns how many were raised.
   */
  async sweep(): Promise<number> {
    const now = this.options.now();
    let raised = 0;
    try {
      raised += await this.#sweepFleet(now);
    } catch (error) {
      // Nothing is resolved on a tick that could not see the fleet; silence is still judged.
      this.options.log.error({ err: error }, 'fleet rules could not be judged');
    }
    for (const silent of this.#silence.sweep(now)) {
      const { alarm, opened } = await this.options.records.raiseAlarm({
        key: alarmKey(SILENT_RULE, silent.deviceId),
        ruleId: SILENT_RULE,
        severity: 'warning',
        storeId: silent.storeId,
        deviceId: silent.deviceId,
        at: now,
        counter: null,
        reading: {
          lastSeenAt: new Date(silent.lastSeenAt).toISOString(),
          silentMinutes: Math.floor(silent.silentMs / 60_000),
        },
      });
      if (opened) {
        raised++;
        await this.#tell({ kind: 'alarm.fired', alarm });
      }
    }
    return raised;
  }

  async #sweepFleet(now: number): Promise<number> {
    if (!this.#fleet) return 0;
    const findings = await this.#fleet.judge(this.#fleetRules, now);
    let raised = 0;
    const holding = new Set<string>();
    for (const f of findings) {
      holding.add(f.key);
      const { alarm, opened } = await this.options.records.raiseAlarm({
        key: f.key,
        ruleId: f.ruleId,
        severity: f.severity,
        storeId: f.storeId,
        deviceId: null,
        at: now,
        counter: null,
        reading: f.reading,
      });
      this.#fleetOpen.add(f.key);
      if (opened) {
        raised++;
        await this.#tell({ kind: 'alarm.fired', alarm });
      }
    }
    for (const key of [...this.#fleetOpen]) {
      if (holding.has(key)) continue;
      this.#fleetOpen.delete(key);
      const alarm = await this.options.records.clearAlarm(key, now, 'rule');
      if (alarm) await this.#tell({ kind: 'alarm.resolved', alarm });
    }
    return raised;
  }

  async transition(
    id: string,
    to: 'acknowledged' | 'resolved',
    by: string,
  ): Promise<AlarmTransitionResult> {
    const result = await this.options.records.transitionAlarm(id, {
      to,
      by,
      at: this.options.now(),
    });
    if (result.ok) {
      if (to === 'resolved' && result.alarm.deviceId !== null) {
        // Closed by a person: the rule starts afresh for the device, so it can fire again.
        this.#evaluator.forget(result.alarm.ruleId, result.alarm.deviceId);
      }
      await this.#tell({ kind: `alarm.${to}`, alarm: result.alarm });
    }
    return result;
  }

  async #apply(transition: RuleTransition): Promise<void> {
    const key = alarmKey(transition.ruleId, transition.deviceId);
    if (transition.change === 'fire') {
      const { alarm, opened } = await this.options.records.raiseAlarm({
        key,
        ruleId: transition.ruleId,
        severity: transition.severity,
        storeId: transition.storeId,
        deviceId: transition.deviceId,
        at: transition.at,
        counter: transition.counter,
        reading: transition.values,
      });
      if (opened) await this.#tell({ kind: 'alarm.fired', alarm });
      return;
    }
    const alarm = await this.options.records.clearAlarm(key, transition.at, 'rule');
    if (alarm) await this.#tell({ kind: 'alarm.resolved', alarm });
  }

  async #tell(event: AlarmEvent): Promise<void> {
    try {
      await this.options.notify?.(event);
    } catch (error) {
      this.options.log.error({ err: error, alarm: event.alarm.id }, 'could not pass an alarm on');
    }
  }

  #use(active: ActiveRuleSet): void {
    this.#active.set(active.profile, active);
    const set = active.ruleSet;
    if (isFleetRuleSet(set)) {
      this.#fleetRules = set;
      return;
    }
    this.#silence.set(set.profile, set.silence);
    this.#evaluator.use(compileRuleSet(set));
  }
}
