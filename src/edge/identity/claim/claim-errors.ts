import { Failure } from '../../../shared/failure.js';

/** Expected failures of claim provisioning's operator side: the CLI prints the message and code. */
export type ClaimErrorCode =
  'bad-template' | 'unknown-claim' | 'claim-conflict' | 'invalid-expiry' | 'template-mismatch';

export class ClaimFailure extends Failure<ClaimErrorCode> {}
