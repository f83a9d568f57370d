import { Failure } from '../../shared/failure.js';

/** Expected failures of checkout reconciliation, a closed set. */
export type CheckoutErrorCode = 'session-not-ended';

export class CheckoutFailure extends Failure<CheckoutErrorCode> {}
