import { Failure } from '../../shared/failure.js';

export type CustomerErrorCode =
  /** The account does not exist, or was deleted. */
  | 'account-not-found'
  /** A cross-region request outside the audited ops path. */
  | 'residency-refused'
  | 'vault-unavailable'
  | 'invalid-request';

export class CustomerFailure extends Failure<CustomerErrorCode> {}
