import { createHash } from 'node:crypto';
import type { Identify } from '../../contract/index.js';

/**
 * What a session keeps of the credential it was identified with: SHA-256 hex of `method:value`
 * (decision 013). Loyalty numbers and payment tokens come back on the next cart of a battery swap,
 * so their digest lets two sessions be matched without the store holding the number itself. An
 * app code is one-time: it cannot match anything later, so nothing is kept.
 */
export function credentialDigest(identify: Identify): string | null {
  switch (identify.method) {
    case 'loyalty':
      return sha256(`loyalty:${identify.loyalty_number}`);
    case 'payment-token':
      return sha256(`payment-token:${identify.payment_token}`);
    case 'app-code':
      return null;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
