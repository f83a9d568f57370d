import { silenceMinutes } from '../../contract/index.js';
import type { RuleSet } from './rule-schema.js';

/**
 * The rules a profile has until an operator stores its own (PUT /v1/rules/{profile}): the alarms
 * issue 18 names that one message can show. Chilled goods (2–8 °C) are the cold-chain default
 * until shipments carry product profiles (issue 19).
 */
export const DEFAULT_RULE_SETS: readonly RuleSet[] = [
  {
    profile: 'cart',
    silence: { minutes: silenceMinutes('cart'), whileInSession: true },
    rules: [
      {
        id: 'battery-low',
        description: 'Battery under 15 %; resolves once charged back to 20 %.',
        severity: 'warning',
        type: 'health',
        when: { field: 'battery_pct', below: 15 },
        clearWhen: { field: 'battery_pct', atLeast: 20 },
      },
    ],
  },
  {
    profile: 'coldchain',
    silence: { minutes: silenceMinutes('coldchain') },
    rules: [
      {
        id: 'temperature-excursion',
        description: 'Chilled goods out of 2–8 °C on two consecutive readings.',
        severity: 'critical',
        type: 'coldchain-telemetry',
        when: {
          any: [
            { field: 'temperature_c', above: 8 },
            { field: 'temperature_c', below: 2 },
          ],
        },
        consecutive: 2,
      },
      {
        id: 'battery-low',
        description: 'Battery under 15 %.',
        severity: 'warning',
        type: 'coldchain-telemetry',
        when: { field: 'battery_pct', below: 15 },
        clearWhen: { field: 'battery_pct', atLeast: 20 },
      },
      {
        id: 'shock',
        description: 'A shock above 2 g.',
        severity: 'warning',
        type: 'coldchain-telemetry',
        when: { field: 'shock_g', above: 2 },
      },
    ],
  },
  {
    profile: 'tool',
    rules: [
      {
        id: 'battery-low',
        description: 'Battery under 15 %.',
        severity: 'info',
        type: 'tool-telemetry',
        when: { field: 'battery_pct', below: 15 },
        clearWhen: { field: 'battery_pct', atLeast: 20 },
      },
    ],
  },
];
