/** Every error the API answers with: a stable code and a sentence for people. */
export type ApiErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'bad-request'
  | 'conflict'
  /** Personal data of one region asked for from another, outside the audited ops path. */
  | 'residency-refused'
  /** 503: a capability this platform runs without, or a dependency that is down. */
  | 'unavailable'
  | 'internal'
  /** 422: an upload whose body does not have the SHA-256 its path names (firmware images). */
  | 'hash-mismatch'
  /** 409: a rollout whose image needs a CA generation some targeted devices do not trust. */
  | 'ca-dependency'
  /** 410: a parked integration event the telemetry store no longer holds (retention, erasure). */
  | 'event-gone'
  /** 409: a rollout of an image the blob store does not hold (upload it first). */
  | 'image-missing'
  /** 422: a manifest the platform's firmware-signing key does not verify (every cart would refuse it). */
  | 'manifest-refused'
  // 403 on a staff session action, saying what is wrong with the proximity proof.
  | 'proximity-required'
  | 'proximity-invalid'
  | 'proximity-wrong-cart'
  | 'proximity-expired'
  | 'proximity-replayed'
  // Console sign-in (decision 023), 401 unless said otherwise: see console-auth/auth-failure.ts.
  | 'link-invalid'
  | 'link-expired'
  | 'link-used'
  | 'challenge-expired'
  | 'passkey-invalid'
  /** 403: an unsafe request on a console session without the session's X-CSRF-Token. */
  | 'csrf-invalid'
  /** 403: a sensitive action on a console session without a step-up in the last 5 minutes. */
  | 'fresh-assertion-required';

export interface ApiErrorBody {
  readonly error: ApiErrorCode;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const unauthenticated = (message: string) => new ApiError(401, 'unauthenticated', message);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const notFound = (message: string) => new ApiError(404, 'not-found', message);
export const badRequest = (message: string) => new ApiError(400, 'bad-request', message);
export const unavailable = (message: string) => new ApiError(503, 'unavailable', message);
