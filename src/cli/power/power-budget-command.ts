import {
  BUDGET_DEVICES,
  COLDCHAIN_DEFAULT_INTERVAL_S,
  powerBudget,
  type BudgetDevice,
  type PowerBudget,
} from '../../device/power/budget.js';
import { formatCurrent, formatLife, formatPct } from '../../device/power/format.js';
import { UsageError, type Command, type CommandIo } from '../command.js';
import { printFields, printJson, printTable, wantsJson } from '../operator/output.js';
import { batteryMahFlag, choiceFlag, dutyCycleFlag, intervalFlag } from './power-flags.js';

/**
 * `fleetplane power budget`: battery life from a device class's duty cycle through the shared
 * power model (decision 060), the figures its device model drains in the simulator.
 */
export function powerBudgetCommand(): Command {
  return {
    path: ['power', 'budget'],
    summary: "A device's battery life from its duty cycle, on the shared power model.",
    usage:
      'power budget --device cart|coldchain [--duty-cycle X] [--interval S] [--battery-mah N] [--json]',
    details: [
      '--device D         cart (7.4 V 7800 mAh pack, 12-hour shift) or coldchain (Saft LS 26500 cell)',
      '--duty-cycle X     cart: share of each hour a customer is shopping: 0.5, 50% or 1/2',
      '                   (default the PRD hour: 26 of 60 minutes, 0.4 A on average)',
      `--interval S       coldchain: its duty cycle, one reading and report every S seconds or 5m, 1h`,
      `                   (default ${COLDCHAIN_DEFAULT_INTERVAL_S} s)`,
      '--battery-mah N    another rated capacity for the same pack or cell',
      '--json             the whole budget as JSON',
      'Example: fleetplane power budget --device cart --duty-cycle 60%',
    ],
    options: {
      device: { type: 'string' },
      'duty-cycle': { type: 'string' },
      interval: { type: 'string' },
      'battery-mah': { type: 'string' },
      json: { type: 'boolean' },
    },
    required: ['device'],
    async run(values, io) {
      const device = choiceFlag<BudgetDevice>(values, 'device', BUDGET_DEVICES)!;
      const activeShare = dutyCycleFlag(values);
      const intervalS = intervalFlag(values);
      if (device === 'coldchain' && activeShare !== undefined) {
        throw new UsageError(
          "the cold-chain sensor's duty cycle is its reading interval: use --interval S",
        );
      }
      if (device === 'cart' && intervalS !== undefined) {
        throw new UsageError("the cart's duty cycle is its shopping share: use --duty-cycle X");
      }
      const budget = powerBudget({
        device,
        activeShare,
        intervalS,
        batteryMah: batteryMahFlag(values),
      });
      if (wantsJson(values)) printJson(io, budget);
      else printBudget(io, budget);
      return 0;
    },
  };
}

function printBudget(io: CommandIo, b: PowerBudget): void {
  const mah = Math.round(b.cell.capacityAh * 1000);
  const duty =
    b.device === 'cart'
      ? `a customer shopping ${formatPct(b.activeShare)} of each hour`
      : `a reading and report every ${b.intervalS} s`;
  io.out(`${b.device} on ${mah} mAh, ${duty}:`);
  const fields: [string, string][] = [
    ['average draw', formatCurrent(b.averageA)],
    ['battery life', `${formatLife(b.lifeHours)} from full`],
  ];
  if (b.shift) {
    const s = b.shift;
    const verdict = s.lasts
      ? `lasts, ${formatLife(s.spareHours)} to spare`
      : `falls ${formatLife(-s.spareHours)} short`;
    fields.push([
      `${s.hours}-hour shift`,
      `draws ${round(s.drawAh, 2)} Ah, leaves ${formatPct(s.leftPct / 100)}: ${verdict}`,
    ]);
  } else {
    const usable = `${formatPct(b.cell.usableFraction)} usable`;
    const self = `${formatPct(b.cell.selfDischargePerYear)} a year self-discharge`;
    fields.push(['cell', `${usable}, ${self}`]);
  }
  printFields(io, fields);
  io.out('');
  io.out(`Where the charge goes, per ${b.periodHours === 1 ? 'hour' : `${b.periodHours} h`}:`);
  printTable(
    io,
    [
      { header: 'LOAD' },
      { header: 'AS GIVEN' },
      { header: 'mAh', align: 'right' },
      { header: 'SHARE', align: 'right' },
    ],
    b.lines.map((l) => [
      l.load,
      l.how,
      String(round(l.ahPerPeriod * 1000, 3)),
      formatPct(l.shareOfDraw),
    ]),
    '(nothing drawn)',
  );
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
