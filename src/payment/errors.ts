import { Failure } from '../shared/failure.js';

/** Expected failures of the payment zone on disk. */
export type PaymentZoneErrorCode = 'zone-not-initialised' | 'zone-corrupt';

export class PaymentZoneFailure extends Failure<PaymentZoneErrorCode> {}
