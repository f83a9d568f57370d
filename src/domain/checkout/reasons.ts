/**
 * Why a checkout came out as it did: the closed set of CheckoutResult reasons. A reason for the
 * outcome comes first; a paid checkout can still carry a basket discrepancy, which never blocks.
 */
export const CHECKOUT_REASONS = {
  'basket-mismatch':
    "The session-end's lines or total differ from the scans the platform holds for the session.",
  'total-mismatch': "The session-end's total is not the sum of its own lines.",
  'payment-declined': 'The terminal declined the payment; nothing was captured.',
  'payment-deferred': 'The cart deferred payment (e.g. to a staffed till); nothing was captured.',
  'payment-not-attempted': 'The cart did not attempt a payment.',
  'no-auth-token': 'The cart reported an authorization without a token to capture.',
  'session-not-complete': 'The session ended abandoned, voided or transferred, not complete.',
  'payment-refused': 'The payment service refused to capture with this authorization.',
  'payment-amount-differs': "The amount the cart asked to capture is not the session's total.",
  'authorised-less': 'The terminal authorised less than the total; that much was captured.',
  'payment-service-down': 'The payment service did not answer; the checkout is retried.',
  'no-payment-service': 'This platform has no payment service configured; retried later.',
} as const;

export type CheckoutReason = keyof typeof CHECKOUT_REASONS;
