import { Failure } from '../../../shared/failure.js';

/**
 * Every expected failure of the rollout engine, in one closed set: the API and the CLI map these
 * codes, never message text.
 */
export const ROLLOUT_ERRORS = {
  'invalid-rollout': 'The rollout spec is malformed (stages, thresholds, manifest, image id).',
  'no-targets': 'No device matches the rollout targets.',
  'unknown-targets': 'Explicit target or canary devices are not devices of the targeted fleet.',
  'ca-dependency':
    "Some targeted devices do not report trusting the CA generation the image's manifest needs.",
  'unknown-rollout': 'No rollout has that id.',
  'rollout-state': 'The rollout is not in a state that allows this (e.g. releasing a running one).',
  'invalid-window': "A maintenance window is not 'HH:MM-HH:MM' with distinct start and end.",
  'invalid-opening-hours':
    "Opening hours are not one list of 'HH:MM-HH:MM' periods per weekday (mon … sun).",
  'invalid-timezone': "The store's time zone is not an IANA zone this runtime knows.",
} as const;
export type RolloutErrorCode = keyof typeof ROLLOUT_ERRORS;

export class RolloutFailure extends Failure<RolloutErrorCode> {}

export function rolloutFailure(code: RolloutErrorCode, message: string): RolloutFailure {
  return new RolloutFailure(code, message);
}
