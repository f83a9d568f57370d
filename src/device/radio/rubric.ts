/**
 * The seed's five-question wireless rubric as a ranking: each radio judged on range, cadence,
 * cost, power and coverage, points added, a radio out on any question ranked after those that
 * are not. The reasons travel with the score, because the rubric's value is the conversation.
 */
import { airtime, radioDraw } from './airtime.js';
import {
  judgeCadence,
  judgeCost,
  judgeCoverage,
  judgePower,
  judgeRange,
  type Judgement,
  type Mobility,
  type PowerSource,
} from './criteria.js';
import { RADIO_IDS, RADIOS, type RadioId } from './radios.js';

export interface RubricInput {
  /** Share of time the device may have its radio on, 0–1. */
  readonly dutyCycle: number;
  readonly payloadBytes: number;
  /** Worst-case distance to the nearest gateway, phone or router, m. */
  readonly rangeM: number;
  /** Seconds between messages; without it cadence is judged on size only. */
  readonly intervalS?: number;
  readonly mobility: Mobility;
  readonly power: PowerSource;
  /** Radio BOM budget per device, US$. */
  readonly bomUsd?: number;
  /** A battery to report life on, mAh. */
  readonly batteryMah?: number;
}

export interface RadioScore {
  readonly radio: RadioId;
  readonly label: string;
  readonly qualified: boolean;
  readonly score: number;
  readonly averageA: number;
  readonly lifeHours: number | null;
  readonly judgements: readonly Judgement[];
}

/** Question 5 is the same whatever the radio; printed with the ranking, not scored. */
export const SECURITY_NOTE =
  'Security (question 5) does not pick the radio: commercial and regulated buyers add a secure element ($1.50–$5) to any of them.';

export function scoreRadio(id: RadioId, input: RubricInput): RadioScore {
  const radio = RADIOS[id];
  const air = airtime(radio, input.payloadBytes, input.intervalS);
  const draw = radioDraw(radio, input.dutyCycle, air, input.batteryMah);
  const judgements = [
    judgeRange(radio, input.rangeM),
    judgeCadence(radio, input.payloadBytes, air),
    judgeCost(radio, input.bomUsd),
    judgePower(radio, input.power, input.dutyCycle, draw),
    judgeCoverage(radio, input.mobility),
  ];
  return {
    radio: id,
    label: radio.label,
    qualified: judgements.every((x) => x.points !== null),
    score: judgements.reduce((sum, x) => sum + (x.points ?? 0), 0),
    averageA: draw.averageA,
    lifeHours: draw.lifeHours,
    judgements,
  };
}

/** Every radio, best first: fewest questions failed first (none: qualified), then points, then range (the rubric's first). */
export function rankRadios(input: RubricInput): RadioScore[] {
  validate(input);
  const rangePoints = (s: RadioScore) => s.judgements[0]?.points ?? -1;
  const outs = (s: RadioScore) => s.judgements.filter((x) => x.points === null).length;
  return RADIO_IDS.map((id) => scoreRadio(id, input)).sort(
    (a, b) =>
      outs(a) - outs(b) ||
      b.score - a.score ||
      rangePoints(b) - rangePoints(a) ||
      RADIOS[a.radio].bomUsd[0] - RADIOS[b.radio].bomUsd[0],
  );
}

function validate(input: RubricInput): void {
  const bad = (what: string) => {
    throw new RangeError(what);
  };
  if (!(input.dutyCycle > 0 && input.dutyCycle <= 1))
    bad(`duty cycle must be within (0, 1]: ${input.dutyCycle}`);
  if (!(Number.isInteger(input.payloadBytes) && input.payloadBytes > 0))
    bad(`payload must be whole bytes: ${input.payloadBytes}`);
  if (!(input.rangeM > 0)) bad(`range must be positive: ${input.rangeM}`);
  if (input.intervalS !== undefined && !(input.intervalS > 0))
    bad(`interval must be positive: ${input.intervalS}`);
}
