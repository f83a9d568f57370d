import { Failure } from '../../../shared/failure.js';

/** Every expected failure of the masking pipeline, in one closed set. */
export type MaskErrorCode =
  | 'invalid-rubric'
  | 'invalid-domain'
  | 'unknown-column'
  | 'reserved-column'
  | 'malformed-input'
  | 'unreadable-input'
  | 'unprocessable-value'
  | 'unsupported-format'
  | 'missing-decision-record'
  | 'unknown-token'
  /** The token's entry was destroyed under a data-subject deletion. */
  | 'token-erased';

export class MaskFailure extends Failure<MaskErrorCode> {}

export function maskFailure(code: MaskErrorCode, message: string): MaskFailure {
  return new MaskFailure(code, message);
}
