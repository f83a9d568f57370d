import { join, resolve } from 'node:path';

/**
 * The payment zone under `--data DIR`, mode 0700, separate from everything the platform keeps:
 *
 *   DIR/payment/ca.key.pem                  the payment CA's key (PKCS#8, 0600)
 *   DIR/payment/ca.cert.pem                 the payment CA, self-signed; trusts nothing of the fleet
 *   DIR/payment/server.pem                  the service's key and certificate in one file (0600)
 *   DIR/payment/bridge.cert.pem             the bridge certificate the service pins
 *   DIR/payment/simulated-processor.key     the simulated processor's HMAC secret (0600)
 *   DIR/payment/payment.db                  the service's own SQLite database
 */
export interface PaymentLayout {
  readonly dir: string;
  readonly caKey: string;
  readonly caCert: string;
  readonly server: string;
  readonly pinnedBridge: string;
  readonly processorSecret: string;
  readonly db: string;
}

export function paymentLayout(dataDir: string): PaymentLayout {
  const dir = join(resolve(dataDir), 'payment');
  return {
    dir,
    caKey: join(dir, 'ca.key.pem'),
    caCert: join(dir, 'ca.cert.pem'),
    server: join(dir, 'server.pem'),
    pinnedBridge: join(dir, 'bridge.cert.pem'),
    processorSecret: join(dir, 'simulated-processor.key'),
    db: join(dir, 'payment.db'),
  };
}
