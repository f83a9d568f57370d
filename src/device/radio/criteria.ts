/**
 * The rubric's questions as judgements of one radio: 2 points where the rubric names it as the
 * answer, 1 where it works, 0 where it is marginal, null where it is out, each with the reason.
 * Question 5 (security) is radio-neutral — a secure element is added whatever the radio — so it
 * does not score here. Thresholds are the seed's tables; where a judgement adds to them, the
 * comment says why.
 */
import { formatBps, formatCurrent, formatLife, formatPct } from '../power/format.js';
import type { Airtime, RadioDraw } from './airtime.js';
import type { Radio } from './radios.js';

export const CRITERIA = ['range', 'cadence', 'cost', 'power', 'coverage'] as const;
export type Criterion = (typeof CRITERIA)[number];

export const POWER_SOURCES = ['wall', 'battery', 'harvest'] as const;
export type PowerSource = (typeof POWER_SOURCES)[number];

export const MOBILITIES = ['fixed', 'site', 'roaming'] as const;
export type Mobility = (typeof MOBILITIES)[number];

export interface Judgement {
  readonly criterion: Criterion;
  /** null: disqualified by this criterion. */
  readonly points: 0 | 1 | 2 | null;
  readonly reason: string;
}

const j = (criterion: Criterion, points: Judgement['points'], reason: string): Judgement => ({
  criterion,
  points,
  reason,
});

const metres = (m: number) => (m >= 1000 ? `${m / 1000} km` : `${m} m`);

/** Question 1: how far is the nearest gateway, phone or router? */
export function judgeRange(radio: Radio, rangeM: number): Judgement {
  const at = metres(rangeM);
  switch (radio.id) {
    case 'ble':
      if (rangeM <= 30) return j('range', 2, `${at} is within 30 m: BLE's own corner`);
      if (rangeM <= 100)
        return j('range', 0, `${at}: past 30 m BLE needs a mesh or long-range PHY`);
      return j('range', null, `${at} is past BLE's ~100 m even as a mesh`);
    case 'wifi':
      if (rangeM <= 30)
        return j('range', 1, `${at} reaches, though BLE is the rubric's answer here`);
      if (rangeM <= 100)
        return j('range', 2, `${at} is within 100 m indoors: Wi-Fi if a router exists`);
      return j('range', null, `${at} is past one router's ~100 m`);
    case 'lora':
      if (rangeM < 100) return j('range', 1, `${at} reaches, but LoRa's kilometres are wasted`);
      if (rangeM <= 10_000)
        return j('range', 2, `${at} is in LoRa's corner: 100 m to 10 km outdoors`);
      return j('range', null, `${at} is past LoRa's ~10 km to a gateway`);
    case 'lte-m':
      if (rangeM <= 10_000) return j('range', 1, `${at} reaches wherever a carrier covers`);
      return j('range', 2, `${at}: "truly anywhere" is cellular's corner`);
  }
}

/** Question 2: how often does it phone home, and how big is each message? */
export function judgeCadence(radio: Radio, payloadBytes: number, air: Airtime): Judgement {
  const split =
    air.frames > 1
      ? ` (${payloadBytes} B split into ${air.frames} frames of ≤ ${radio.maxFrameBytes} B)`
      : '';
  if (air.share === null || air.needBps === null) {
    // Without a cadence only the message size can be judged; a split LoRa message is marginal.
    const points = radio.id === 'lora' && air.frames > 1 ? 0 : 1;
    return j('cadence', points, `no --interval: judged on message size only${split}`);
  }
  const onAir = `on the air ${formatPct(air.share)} of the time for ${formatBps(air.needBps)}${split}`;
  if (air.share > 1) {
    return j(
      'cadence',
      null,
      `needs ${formatBps(air.needBps)}, more than its ${formatBps(radio.throughputBps)}`,
    );
  }
  const legal = radio.legalDutyCycle;
  if (legal !== undefined && air.share > legal) {
    return j('cadence', null, `${onAir}: over the ${formatPct(legal)} duty-cycle limit (EU868)`);
  }
  if (legal !== undefined && air.share > legal / 10) {
    return j(
      'cadence',
      0,
      `${onAir}: marginal, a retry or a slower data rate breaks the ${formatPct(legal)} limit`,
    );
  }
  if (air.share <= 0.001) return j('cadence', 2, `${onAir}: a trickle for it`);
  if (air.share <= 0.1) return j('cadence', 1, onAir);
  return j('cadence', 0, `${onAir}: close to what it carries`);
}

/** Question 3: the BOM budget per device. */
export function judgeCost(radio: Radio, budgetUsd?: number): Judgement {
  const [lo, hi] = radio.bomUsd;
  const [yLo, yHi] = radio.yearlyUsd;
  const price = `$${lo}–$${hi} a device${yHi > 0 ? ` + $${yLo}–$${yHi} a year for the plan` : ''}`;
  const base: 0 | 1 | 2 = hi <= 3 ? 2 : hi <= 12 ? 1 : 0;
  if (budgetUsd === undefined) return j('cost', base, price);
  if (lo > budgetUsd)
    return j('cost', null, `${price}: the cheapest is over the $${budgetUsd} budget`);
  if (hi > budgetUsd)
    return j('cost', 0, `${price}: fits the $${budgetUsd} budget only at the low end`);
  return j('cost', base, `${price}: within the $${budgetUsd} budget`);
}

/** Question 4: the power budget, from the duty cycle through the shared power model. */
export function judgePower(
  radio: Radio,
  source: PowerSource,
  dutyCycle: number,
  draw: RadioDraw,
): Judgement {
  const raised =
    draw.onShare > dutyCycle
      ? ` (on ${formatPct(draw.onShare)}: the cadence needs more than the duty cycle)`
      : '';
  const life = draw.lifeHours === null ? '' : `, ${formatLife(draw.lifeHours)} on the battery`;
  const avg = `averages ${formatCurrent(draw.averageA)}${raised}${life}`;
  const mA = draw.averageA * 1000;
  switch (source) {
    case 'wall':
      return j('power', 1, `wall powered, anything goes: ${avg}`);
    case 'battery':
      if (mA < 0.1) return j('power', 2, `${avg}: well under the 1 mA a year-long battery allows`);
      if (mA < 1) return j('power', 1, `${avg}: under the 1 mA a year-long battery allows`);
      return j('power', null, `${avg}: a year on a replaceable battery needs under 1 mA`);
    case 'harvest':
      if (mA < 0.1) return j('power', 1, `${avg}: under the 100 µA energy harvesting allows`);
      return j('power', null, `${avg}: energy harvesting needs under 100 µA`);
  }
}

/** Coverage and infrastructure: what must exist near the device where it goes. */
export function judgeCoverage(radio: Radio, mobility: Mobility): Judgement {
  if (mobility === 'fixed') return j('coverage', 1, `fixed in place: needs ${radio.needs}`);
  if (mobility === 'site') {
    switch (radio.id) {
      case 'wifi':
        return j('coverage', 2, "moves about one site: the site's own Wi-Fi covers it");
      case 'lora':
        return j('coverage', 1, 'moves about one site: one gateway can cover it');
      case 'ble':
        return j('coverage', 0, 'moves about one site: BLE needs a mesh or many gateways');
      case 'lte-m':
        return j('coverage', 1, 'moves about one site: covered where the carrier is, for a plan');
    }
  }
  switch (radio.id) {
    case 'lte-m':
      return j('coverage', 2, 'roams: goes wherever the carriers do');
    case 'lora':
      return j('coverage', 0, 'roams: only where public LoRaWAN gateways happen to be');
    case 'ble':
      return j('coverage', 0, 'roams: only through phones passing by (a finder network)');
    case 'wifi':
      return j('coverage', null, 'roams: no known router along the way');
  }
}
