import {
  MOBILITIES,
  POWER_SOURCES,
  type Mobility,
  type PowerSource,
} from '../../device/radio/criteria.js';
import {
  rankRadios,
  SECURITY_NOTE,
  type RadioScore,
  type RubricInput,
} from '../../device/radio/rubric.js';
import { formatPct } from '../../device/power/format.js';
import { UsageError, type Command, type CommandIo } from '../command.js';
import { printJson, wantsJson } from '../operator/output.js';
import {
  batteryMahFlag,
  choiceFlag,
  dutyCycleFlag,
  intervalFlag,
  positiveFlag,
} from '../power/power-flags.js';

/** `fleetplane radio score`: the seed's wireless rubric, each radio's points with the reasons. */
export function radioScoreCommand(): Command {
  return {
    path: ['radio', 'score'],
    summary: 'Rank BLE, LoRa, Wi-Fi and LTE-M for a device with the wireless rubric, with reasons.',
    usage:
      'radio score --duty-cycle X --payload BYTES --range M [--interval S] [--mobility fixed|site|roaming] [--power wall|battery|harvest] [--bom-usd N] [--battery-mah N] [--json]',
    details: [
      '--duty-cycle X     share of time the radio may be on: 0.01, 1% or 1/100',
      '--payload BYTES    size of one message',
      '--range M          worst-case distance to the nearest gateway, phone or router: 25, 200m, 3km',
      '--interval S       time between messages: 600, 10m, 1h (without it, cadence is judged on size)',
      '--mobility         fixed (default), site (moves about one site) or roaming (goes anywhere)',
      '--power            battery (default: a year on a replaceable battery), wall, or harvest',
      '--bom-usd N        radio budget per device, US$: a radio whose cheapest module costs more is out',
      "--battery-mah N    also show each radio's life on this battery",
      '--json             the ranking with every judgement as JSON',
      'Points per question: 2 the rubric names it, 1 it works, 0 marginal, out disqualifies.',
      'Example: fleetplane radio score --duty-cycle 0.1% --payload 100 --range 200m --interval 10m',
    ],
    options: {
      'duty-cycle': { type: 'string' },
      payload: { type: 'string' },
      range: { type: 'string' },
      interval: { type: 'string' },
      mobility: { type: 'string' },
      power: { type: 'string' },
      'bom-usd': { type: 'string' },
      'battery-mah': { type: 'string' },
      json: { type: 'boolean' },
    },
    required: ['duty-cycle', 'payload', 'range'],
    async run(values, io) {
      const payload = positiveFlag(values, 'payload', 'whole bytes from 1 to 1000000', 1e6)!;
      if (!Number.isInteger(payload)) {
        throw new UsageError(`--payload must be whole bytes from 1 to 1000000; got '${payload}'`);
      }
      const input: RubricInput = {
        dutyCycle: dutyCycleFlag(values)!,
        payloadBytes: payload,
        rangeM: rangeFlag(String(values['range'])),
        intervalS: intervalFlag(values),
        mobility: choiceFlag<Mobility>(values, 'mobility', MOBILITIES) ?? 'fixed',
        power: choiceFlag<PowerSource>(values, 'power', POWER_SOURCES) ?? 'battery',
        bomUsd: positiveFlag(values, 'bom-usd', 'US dollars, e.g. 8 or 2.5'),
        batteryMah: batteryMahFlag(values),
      };
      const ranked = rankRadios(input);
      if (wantsJson(values)) printJson(io, { input, ranking: ranked, security: SECURITY_NOTE });
      else printRanking(io, input, ranked);
      return 0;
    },
  };
}

function rangeFlag(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|km)?$/.exec(text);
  const m = match ? Number(match[1]) * (match[2] === 'km' ? 1000 : 1) : NaN;
  if (!(m > 0)) throw new UsageError(`--range must be a distance: 25, 200m or 3km; got '${text}'`);
  return m;
}

const MOBILITY_TEXT: Record<Mobility, string> = {
  fixed: 'fixed in place',
  site: 'moving about one site',
  roaming: 'roaming',
};

function printRanking(io: CommandIo, input: RubricInput, ranked: readonly RadioScore[]): void {
  const cadence = input.intervalS === undefined ? '' : ` every ${input.intervalS} s`;
  io.out(
    `Radios for ${input.rangeM} m, ${input.payloadBytes} B${cadence}, radio on ${formatPct(input.dutyCycle)}, ` +
      `${input.power} power, ${MOBILITY_TEXT[input.mobility]}:`,
  );
  ranked.forEach((r, i) => {
    const out = r.judgements.filter((j) => j.points === null).map((j) => j.criterion);
    const verdict = r.qualified
      ? `${r.score} points`
      : `out (${out.join(', ')}; ${r.score} points otherwise)`;
    io.out('');
    io.out(`${i + 1}. ${r.label.padEnd(6)} ${verdict}`);
    for (const j of r.judgements) {
      const points = j.points === null ? 'out' : `+${j.points}`;
      io.out(`     ${j.criterion.padEnd(9)}${points.padStart(3)}  ${j.reason}`);
    }
  });
  io.out('');
  io.out(SECURITY_NOTE);
}
