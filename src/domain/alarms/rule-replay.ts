import type { TelemetryStore } from '../../stores/telemetry/telemetry-store.js';
import { compileRuleSet } from './compiled-rules.js';
import { RuleEvaluator, type RuleTransition } from './rule-evaluator.js';
import type { RuleSet } from './rule-schema.js';

export interface RuleReplay {
  readonly transitions: readonly RuleTransition[];
  /** Per rule: how often it fired and cleared over the window. */
  readonly counts: Readonly<Record<string, { fired: number; cleared: number }>>;
  /** Messages of the profile's class and the rules' types that were judged. */
  readonly messagesJudged: number;
  /** Rules still firing at the end of the window, per device. */
  readonly firingAtEnd: number;
}

const PAGE = 5_000;

/**
 * What a rule set would have done over stored telemetry (`fleetplane rules test`): each store's
 * messages in device-time order through the same evaluator the live path uses. Reads only;
 * a rule is tried before it goes live.
 */
export async function replayRules(options: {
  readonly telemetry: Pick<TelemetryStore, 'storeEventsBetween'>;
  readonly storeIds: readonly string[];
  readonly ruleSet: RuleSet;
  /** Device time, ms since epoch: [from, to). */
  readonly from: number;
  readonly to: number;
}): Promise<RuleReplay> {
  const compiled = compileRuleSet(options.ruleSet);
  const evaluator = new RuleEvaluator([compiled]);
  const transitions: RuleTransition[] = [];
  const counts: Record<string, { fired: number; cleared: number }> = {};
  for (const rule of options.ruleSet.rules) counts[rule.id] = { fired: 0, cleared: 0 };
  let judged = 0;
  for (const storeId of options.storeIds) {
    let from = options.from;
    // Events at the page's last instant are read again by the next page: skip those seen.
    let seenAtFrom = new Set<number>();
    for (;;) {
      const page = await options.telemetry.storeEventsBetween(storeId, {
        from,
        to: options.to,
        limit: PAGE,
      });
      const lastTime = page[page.length - 1]?.deviceTime;
      const seenNext = new Set<number>();
      for (const event of page) {
        if (event.deviceTime === lastTime) seenNext.add(event.seq);
        if (seenAtFrom.has(event.seq)) continue;
        if (event.deviceClass !== compiled.profile || !compiled.byType.has(event.type)) continue;
        judged++;
        const changes = evaluator.judge({
          deviceId: event.deviceId,
          storeId: event.storeId,
          deviceClass: event.deviceClass,
          type: event.type,
          at: event.deviceTime,
          counter: event.counter,
          body: JSON.parse(event.body) as Record<string, unknown>,
        });
        for (const change of changes) {
          transitions.push(change);
          const count = counts[change.ruleId]!;
          if (change.change === 'fire') count.fired++;
          else count.cleared++;
        }
      }
      if (page.length < PAGE || lastTime === undefined) break;
      if (lastTime === from && seenNext.size >= page.length) {
        throw new Error(`more than ${PAGE} events of store ${storeId} at one instant`);
      }
      from = lastTime;
      seenAtFrom = seenNext;
    }
  }
  return { transitions, counts, messagesJudged: judged, firingAtEnd: evaluator.firingCount };
}
