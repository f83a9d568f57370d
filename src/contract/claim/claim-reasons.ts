/**
 * Why the platform refused a claim request: a closed set. Devices match on the code; the text
 * is for people. docs/protocol.md lists the same set.
 */
export const CLAIM_REFUSAL_REASONS = {
  'serial-claimed': 'This serial already has a certificate for another key; a serial claims once.',
  'serial-not-allowed': "The serial does not match the claim template's serial pattern.",
  'bad-csr':
    'The CSR is not a P-256 PKCS#10 request signed by its key, or its CN is not the serial.',
  'bad-request': 'The body is not a claim request, or names another serial than its topic.',
  'claim-expired': 'The claim certificate has expired.',
  'claim-revoked': 'The claim certificate has been revoked.',
  'rate-limited': 'Too many requests under this claim certificate; wait and send again.',
  unavailable: 'The platform could not issue now (its CA or registry failed); send again later.',
} as const;

export type ClaimRefusalReason = keyof typeof CLAIM_REFUSAL_REASONS;
export const CLAIM_REFUSAL_REASON_CODES = Object.keys(
  CLAIM_REFUSAL_REASONS,
) as ClaimRefusalReason[];
