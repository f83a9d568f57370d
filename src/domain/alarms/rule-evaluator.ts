import type { DeviceClass, DeviceMessageType } from '../../contract/index.js';
import { reader, type Body, type CompiledRuleSet } from './compiled-rules.js';
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
  readonly #streaks = new Map<string, Streak>();

  constructor(sets: readonly CompiledRuleSet[] = []) {
    for (const set of sets) this.use(set);
  }

  use(set: CompiledRuleSet): void {
    this.#sets.set(set.profile, set);
  }

  /** What this message changed: nothing, for the common case, with no allocation. */
  judge(message: JudgedMessage): readonly RuleTransition[] {
    const rules = this.#sets.get(message.deviceClass)?.byType.get(message.type);
    if (rules === undefined) return NO_TRANSITIONS;
    let out: RuleTransition[] | undefined;
    for (const rule of rules) {
      const key = `${rule.id}\u0000${message.deviceId}`;
      let streak = this.#streaks.get(key);
      const holds = rule.fires(message.body);
      if (streak === undefined) {
        if (!holds) continue;
        streak = { run: 0, firing: false };
        this.#streaks.set(key, streak);
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
        if (!streak.firing) this.#streaks.delete(key);
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
        values: Object.fromEntries(rule.fields.map((f) => [f, reader(f)(message.body)])),
      });
    }
    return out ?? NO_TRANSITIONS;
  }

  /** An alarm open before a restart: the rule is firing for the device, so its clearing counts. */
  seedFiring(ruleId: string, deviceId: string): void {
    this.#streaks.set(`${ruleId}\u0000${deviceId}`, { run: 0, firing: true });
  }

  /** A person resolved the alarm: the rule starts afresh for the device. */
  forget(ruleId: string, deviceId: string): void {
    this.#streaks.delete(`${ruleId}\u0000${deviceId}`);
  }

  /** Rules firing now, per device: what a restart must rebuild (decision 035). */
  get firingCount(): number {
    let n = 0;
    for (const streak of this.#streaks.values()) if (streak.firing) n++;
    return n;
  }
}
