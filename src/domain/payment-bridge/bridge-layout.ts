import { join, resolve } from 'node:path';

/**
 * What the platform process reads to reach the payment service, under `--data DIR`:
 *
 *   DIR/payment-bridge/bridge.pem       the bridge's private key and its certificate, mode 0600
 *   DIR/payment-bridge/payment-ca.pem   the payment zone's CA, the only issuer the bridge trusts
 *
 * `fleetplane payment init` writes them; it is the only thing outside DIR/payment that the payment
 * zone writes. Key and certificate share one file so a rewrite replaces both at once and a reader
 * never pairs a new key with an old certificate.
 */
export interface BridgeLayout {
  readonly dir: string;
  readonly credential: string;
  readonly paymentCa: string;
}

export function bridgeLayout(dataDir: string): BridgeLayout {
  const dir = join(resolve(dataDir), 'payment-bridge');
  return { dir, credential: join(dir, 'bridge.pem'), paymentCa: join(dir, 'payment-ca.pem') };
}

/** The CN of the one client certificate the payment service answers. */
export const BRIDGE_COMMON_NAME = 'fleetplane:payment-bridge';
