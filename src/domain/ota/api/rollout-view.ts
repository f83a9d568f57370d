import { ApiError, badRequest, notFound } from '../../../surfaces/api/api-errors.js';
import { RolloutFailure } from '../rollout/rollout-errors.js';

const INSTANT_KEY = /(At|^at|^from|^to)$/;

/** The engine's status for JSON: instants (ms) as RFC 3339, everything else as it is. */
export function rolloutView(value: unknown, key = ''): unknown {
  if (typeof value === 'number' && INSTANT_KEY.test(key) && Number.isFinite(value)) {
    return new Date(value).toISOString();
  }
  if (Array.isArray(value)) return value.map((v) => rolloutView(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rolloutView(v, k)]));
  }
  return value;
}

/** The engine's closed failures as API errors. */
export function asApiError(error: unknown): unknown {
  if (!(error instanceof RolloutFailure)) return error;
  switch (error.code) {
    case 'unknown-rollout':
      return notFound(error.message);
    case 'ca-dependency':
      return new ApiError(409, 'ca-dependency', error.message);
    case 'rollout-state':
      return new ApiError(409, 'conflict', error.message);
    case 'no-targets':
    case 'unknown-targets':
    case 'invalid-rollout':
    case 'invalid-window':
    case 'invalid-opening-hours':
    case 'invalid-timezone':
      return badRequest(error.message);
  }
}
