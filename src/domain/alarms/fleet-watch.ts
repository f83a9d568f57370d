import type { AlarmSeverity } from '../../stores/entities/alarms/alarm-records.js';
import type { FleetCounters, FleetSignals } from './fleet-signals.js';
import {
  FLEET_RULE_IDS,
  WHOLE_FLEET,
  type FleetRuleId,
  type FleetRuleSet,
} from './fleet-rule-schema.js';

/** A fleet condition that holds now: one alarm subject (a store, a rollout, the fleet). */
export interface FleetFinding {
  readonly ruleId: FleetRuleId;
  readonly key: string;
  readonly severity: AlarmSeverity;
  readonly storeId: string;
  readonly reading: Readonly<Record<string, unknown>>;
}

interface Sample {
  readonly at: number;
  readonly counters: FleetCounters;
}

/** Store labels that are not one store (decision 036's label caps). */
const NOT_A_STORE = new Set(['other', 'unknown', '']);
/** Samples older than the longest rate window are dropped. */
const KEEP_MS = 61 * 60_000;
/** A tick every 30 s keeps 122; a much faster sweep (tests) keeps the newest this many. */
const MAX_SAMPLES = 2000;

/** `rule:subject`, as device alarms are `rule:device`: the rule id has no colon. */
export function fleetKey(ruleId: FleetRuleId, subject: string): string {
  return `${ruleId}:${subject}`;
}

/**
 * Judges the fleet rules once a tick: rates from the difference of the counters now and at the
 * start of each rule's window (so a burst is seen at once and clears once it leaves the window),
 * presence and dead letters and halted rollouts as they are now. Returns every condition that
 * holds; the caller raises those and resolves its open fleet alarms that are not among them.
 */
export class FleetWatch {
  #samples: Sample[] = [];

  constructor(private readonly signals: FleetSignals) {}

  async judge(rules: FleetRuleSet, now: number): Promise<FleetFinding[]> {
    this.#samples.push({ at: now, counters: await this.signals.counters() });
    this.#samples = this.#samples.filter((s) => s.at >= now - KEEP_MS).slice(-MAX_SAMPLES);
    const findings: FleetFinding[] = [];
    if (rules.rejectRate) findings.push(...this.#rejectRate(rules.rejectRate));
    if (rules.authFailures) findings.push(...this.#authFailures(rules.authFailures));
    if (rules.fleetDiff) findings.push(...(await this.#presence(rules.fleetDiff, now)));
    if (rules.deadLetters) {
      const waiting = await this.signals.deadLetters();
      if (waiting > rules.deadLetters.above) {
        findings.push({
          ruleId: FLEET_RULE_IDS.deadLetters,
          key: fleetKey(FLEET_RULE_IDS.deadLetters, WHOLE_FLEET),
          severity: rules.deadLetters.severity,
          storeId: WHOLE_FLEET,
          reading: { waiting, above: rules.deadLetters.above },
        });
      }
    }
    if (rules.rolloutHalted) {
      for (const r of await this.signals.haltedRollouts()) {
        findings.push({
          ruleId: FLEET_RULE_IDS.rolloutHalted,
          key: fleetKey(FLEET_RULE_IDS.rolloutHalted, `rollout/${r.rolloutId}`),
          severity: rules.rolloutHalted.severity,
          storeId: WHOLE_FLEET,
          reading: { ...r },
        });
      }
    }
    return findings;
  }

  /** The counters' growth over the last `minutes` (or since the first sample, if younger). */
  #window(minutes: number): { from: FleetCounters; to: FleetCounters } | null {
    const latest = this.#samples[this.#samples.length - 1];
    if (!latest || this.#samples.length < 2) return null;
    const start = latest.at - minutes * 60_000;
    // The last sample at or before the window's start; the oldest one while none is that old.
    let from = this.#samples[0]!;
    for (const s of this.#samples) {
      if (s.at > start) break;
      from = s;
    }
    if (from === latest) return null;
    return { from: from.counters, to: latest.counters };
  }

  #rejectRate(rule: NonNullable<FleetRuleSet['rejectRate']>): FleetFinding[] {
    const w = this.#window(rule.minutes);
    if (!w) return [];
    const out: FleetFinding[] = [];
    for (const [storeId, total] of Object.entries(w.to.rejectsByStore)) {
      if (NOT_A_STORE.has(storeId)) continue;
      const rejected = total - (w.from.rejectsByStore[storeId] ?? 0);
      const stored = (w.to.storedByStore[storeId] ?? 0) - (w.from.storedByStore[storeId] ?? 0);
      const share = rejected / Math.max(1, rejected + stored);
      if (rejected < rule.minRejects || share <= rule.shareAbove) continue;
      out.push({
        ruleId: FLEET_RULE_IDS.rejectRate,
        key: fleetKey(FLEET_RULE_IDS.rejectRate, `store/${storeId}`),
        severity: rule.severity,
        storeId,
        reading: { rejected, stored, share: round(share), minutes: rule.minutes },
      });
    }
    return out;
  }

  #authFailures(rule: NonNullable<FleetRuleSet['authFailures']>): FleetFinding[] {
    const w = this.#window(rule.minutes);
    if (!w) return [];
    const byStage: Record<string, number> = {};
    let total = 0;
    for (const [stage, count] of Object.entries(w.to.authFailuresByStage)) {
      const grew = count - (w.from.authFailuresByStage[stage] ?? 0);
      if (grew > 0) byStage[stage] = grew;
      total += grew;
    }
    // Over the whole window even while the platform is younger than it: a young platform may
    // understate a rate, never overstate it.
    const perMinute = total / rule.minutes;
    if (total === 0 || perMinute <= rule.perMinuteAbove) return [];
    return [
      {
        ruleId: FLEET_RULE_IDS.authFailures,
        key: fleetKey(FLEET_RULE_IDS.authFailures, WHOLE_FLEET),
        severity: rule.severity,
        storeId: WHOLE_FLEET,
        reading: {
          perMinute: round(perMinute),
          failures: total,
          byStage,
          minutes: rule.minutes,
        },
      },
    ];
  }

  async #presence(
    rule: NonNullable<FleetRuleSet['fleetDiff']>,
    now: number,
  ): Promise<FleetFinding[]> {
    const out: FleetFinding[] = [];
    for (const storeId of await this.signals.storeIds()) {
      const p = await this.signals.presence(storeId, rule.seenWithin, now);
      if (p.expected < rule.minExpected) continue;
      const share = p.present / p.expected;
      if (share >= rule.presentShareBelow) continue;
      out.push({
        ruleId: FLEET_RULE_IDS.fleetDiff,
        key: fleetKey(FLEET_RULE_IDS.fleetDiff, `store/${storeId}`),
        severity: rule.severity,
        storeId,
        reading: { ...p, share: round(share), seenWithin: rule.seenWithin },
      });
    }
    return out;
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
