import type { Command } from '../../command.js';
import { UsageError, stringOption, type OptionValues } from '../../command.js';
import { runOtaSim, type SimStage } from './ota-sim.js';

function rate(values: OptionValues, name: string, fallback: number, max: number): number {
  const text = stringOption(values, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || value > max) {
    throw new UsageError(`--${name} must be a number from 0 to ${max}, got '${text}'`);
  }
  return value;
}

function whole(values: OptionValues, name: string, fallback: number, max: number): number {
  const text = stringOption(values, name);
  if (text === undefined) return fallback;
  if (!/^[0-9]{1,9}$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got '${text}'`);
  }
  return Number(text);
}

const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;

/** `fleetplane ota sim`: a whole rollout across simulated carts, in simulated time. */
export function otaSimCommand(): Command {
  return {
    path: ['ota', 'sim'],
    summary: 'Run a whole staged rollout across N simulated carts in simulated time.',
    usage:
      'ota sim --devices N [--new-error-rate R] [--old-error-rate R] [--rollback-rate P] [--silent-rate P] [--seed S]',
    details: [
      "The platform's rollout engine and the cart model's bootloader and update logic (signed",
      "manifests verified for real), with faults at each version's rate per device-hour.",
      '  --old-error-rate   faults per device-hour on the installed 2.4.1 (default 0.05)',
      '  --new-error-rate   faults per device-hour on the new 2.5.0 (default: the old rate)',
      '  --rollback-rate    share of new-version boots that crash before mark-good (default 0.002)',
      '  --silent-rate      share of carts never heard from again after booting 2.5.0 (default 0)',
      'Prints each stage as it ends, then one JSON line: stages, halted, halted_at_stage,',
      'updated, rolled_back.',
    ],
    options: {
      devices: { type: 'string' },
      'new-error-rate': { type: 'string' },
      'old-error-rate': { type: 'string' },
      'rollback-rate': { type: 'string' },
      'silent-rate': { type: 'string' },
      seed: { type: 'string' },
    },
    required: ['devices'],
    async run(values, io) {
      const devices = whole(values, 'devices', 0, 200_000);
      const oldErrorRate = rate(values, 'old-error-rate', 0.05, 1000);
      const newErrorRate = rate(values, 'new-error-rate', oldErrorRate, 1000);
      const rollbackRate = rate(values, 'rollback-rate', 0.002, 1);
      const silentRate = rate(values, 'silent-rate', 0, 1);
      const seed = whole(values, 'seed', 1, 2 ** 31 - 1);
      const started = performance.now();
      io.err(
        `Rollout 2.4.1 → 2.5.0 across ${devices} simulated carts (errors/device-hour: old ${oldErrorRate}, new ${newErrorRate}; rollback ${rollbackRate}; seed ${seed})`,
      );
      const result = await runOtaSim({
        devices,
        newErrorRate,
        oldErrorRate,
        rollbackRate,
        silentRate,
        seed,
        onStage: (s: SimStage) =>
          io.out(
            `stage ${s.name.padEnd(7)} ${s.outcome.padEnd(9)} after ${hours(s.simulatedMs).padStart(7)} simulated: ` +
              `${s.updated}/${s.cohort} updated, ${s.rolledBack} rolled back` +
              (s.detail ? `\n  ${s.detail}` : ''),
          ),
      });
      const wallMs = performance.now() - started;
      io.out(
        result.halted
          ? `HALTED at stage ${result.haltedAtStage}: waiting for a person to release or abort.`
          : `Completed: ${result.updated}/${devices} on 2.5.0, ${result.rolledBack} rolled back.`,
      );
      io.err(
        `${hours(result.simulatedMs)} simulated in ${(wallMs / 1000).toFixed(1)} s of wall time.`,
      );
      io.out(
        JSON.stringify({
          stages: result.stages.map((s) => ({
            name: s.name,
            outcome: s.outcome,
            simulated_hours: Number((s.simulatedMs / 3_600_000).toFixed(2)),
            cohort: s.cohort,
            updated: s.updated,
            rolled_back: s.rolledBack,
          })),
          halted: result.halted,
          halted_at_stage: result.haltedAtStage,
          updated: result.updated,
          rolled_back: result.rolledBack,
          silent: result.silent,
          devices,
          simulated_hours: Number((result.simulatedMs / 3_600_000).toFixed(2)),
          wall_seconds: Number((wallMs / 1000).toFixed(2)),
        }),
      );
    },
  };
}
