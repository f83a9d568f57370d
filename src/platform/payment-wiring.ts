import { loadBridgeCredentials } from '../domain/payment-bridge/bridge-credentials.js';
import { HttpsPaymentGateway } from '../domain/payment-bridge/https-payment-gateway.js';
import type { PaymentGateway } from '../domain/payment-bridge/payment-gateway.js';
import type { PlatformConfig } from './platform-config.js';
import type { PlatformDeps } from './running-platform.js';

/**
 * The gateway checkout pays through: one the caller brings (tests), else the isolated payment
 * service over mutual TLS when `--payment-url` names it, else none.
 */
export async function openPaymentGateway(
  config: PlatformConfig,
  deps: PlatformDeps,
  cleanup: (() => Promise<unknown>)[],
): Promise<PaymentGateway | undefined> {
  const bridged = config.paymentUrl
    ? new HttpsPaymentGateway({
        url: config.paymentUrl,
        credentials: await loadBridgeCredentials(config.dataDir),
      })
    : undefined;
  if (bridged) cleanup.push(() => bridged.close());
  return deps.paymentGateway ?? bridged;
}
