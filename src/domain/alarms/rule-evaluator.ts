import type { DeviceClass, DeviceMessageType } from '../../contract/index.js';
import type { Body, CompiledRuleSet } from './compiled-rules.js';
import type { Severity } from './rule-schema.js';

/** One stored message, as the rules judge it. */
export interface JudgedMessage {
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceClass: DeviceClass;
  readonly type: DeviceMessageType;
  /** Device time, ms since epoch. */
  readonly at: number;
  readonly counter: number;
  readonly body: Body;
}

/** A rule started or stopped holding for a device. */
export interface RuleTransition {
  readonly change: 'fire' | 'clear';
  readonly ruleId: string;
  readonly severity: Severity;
  readonly deviceId: string;
  readonly storeId: string;
  readonly at: number;
  readonly counter: number;
  /** The fields the rule reads, as this message had them. */
  readonly values: Readonly<Record<string, unknown>>;
}

interface Streak {
  /** Messages in a row for which the rule's condition held. */
  run: number;
  firing: boolean;
}

const NO_TRANSITIONS: readonly RuleTransition[] = [];

/**
 * Judges each device's messages in order against its profile's rules and says when a rule starts
 * or stops holding. What it remembers per rule and device is a run length and whether the rule
 * is firing: enough for `consecutive` and for hysteresis (`clearWhen`), nothing per message.
 * Sets are replaced at run time (`use`); a replaced set keeps the state of rules it still has.
 */
export class RuleEvaluator {
  readonly #sets = new Map<DeviceClass, CompiledRuleSet>();
  /** A slot per rule, stable across rule set changes, so a device's state is one array. */
  readonly #slots = new Map<string, number>();
  /** Per device, per rule slot: one map lookup per message, not one per rule. */
  readonly #streaks = new Map<string, (Streak | undefined)[]>();

  constructor(sets: readonly CompiledRuleSet[] = []) {
    for (const set of sets) this.use(set);
  }

  use(set: CompiledRuleSet): void {
    this.#sets.set(set.profile, set);
    for (const rules of set.byType.values()) for (const rule of rules) this.#slot(rule.id);
  }

  /** What this message changed: nothing, for the common case, with no allocation. */
  judge(message: JudgedMessage): readonly RuleTransition[] {
    const rules = this.#sets.get(message.deviceClass)?.byType.get(message.type);
    if (rules === undefined) return NO_TRANSITIONS;
    let out: RuleTransition[] | undefined;
    let streaks = this.#streaks.get(message.deviceId);
    for (const rule of rules) {
      const slot = this.#slots.get(rule.id)!;
      let streak = streaks?.[slot];
      const holds = rule.fires(message.body);
      if (streak === undefined) {
        if (!holds) continue;
        streak = { run: 0, firing: false };
        if (streaks === undefined) {
          streaks = [];
          this.#streaks.set(message.deviceId, streaks);
        }
        streaks[slot] = streak;
      }
      let change: 'fire' | 'clear' | undefined;
      if (holds) {
        streak.run++;
        if (!streak.firing && streak.run >= rule.consecutive) {
          streak.firing = true;
          change = 'fire';
        }
      } else {
        streak.run = 0;
        if (streak.firing && rule.clears(message.body)) {
          streak.firing = false;
          change = 'clear';
        }
        if (!streak.firing) streaks![slot] = undefined;
      }
      if (change === undefined) continue;
      (out ??= []).push({
        change,
        ruleId: rule.id,
        severity: rule.severity,
        deviceId: message.deviceId,
        storeId: message.storeId,
        at: message.at,
        counter: message.counter,
        values: rule.reading(message.body),
      });
    }
    return out ?? NO_TRANSITIONS;
  }

  /** An alarm open before a restart: the rule is firing for the device, so its clearing counts. */
  seedFiring(ruleId: string, deviceId: string): void {
    const streaks = this.#streaks.get(deviceId) ?? [];
    streaks[this.#slot(ruleId)] = { run: 0, firing: true };
    this.#streaks.set(deviceId, streaks);
  }

  /** A person resolved the alarm: the rule starts afresh for the device. */
  forget(ruleId: string, deviceId: string): void {
    const streaks = this.#streaks.get(deviceId);
    if (streaks) streaks[this.#slot(ruleId)] = undefined;
  }

  /** Rules firing now, per device: what a restart must rebuild (decision 035). */
  get firingCount(): number {
    let n = 0;
    for (const streaks of this.#streaks.values())
      for (const streak of streaks) if (streak?.firing) n++;
    return n;
  }

  #slot(ruleId: string): number {
    let slot = this.#slots.get(ruleId);
    if (slot === undefined) {
      slot = this.#slots.size;
      this.#slots.set(ruleId, slot);
    }
    return slot;
  }
}
