import { readTextFile } from '../../stores/data-dir/index.js';
import { Failure } from '../../shared/failure.js';
import { pemBlocks, toPem } from '../../edge/identity/pem.js';
import { bridgeLayout } from './bridge-layout.js';

/** The platform's one way into the payment zone: its client key and certificate, and the zone's CA. */
export interface BridgeCredentials {
  readonly keyPem: string;
  readonly certPem: string;
  readonly caPem: string;
}

export class BridgeCredentialsFailure extends Failure<'bridge-not-initialised'> {}

/** Reads DIR/payment-bridge, which `fleetplane payment init` writes. */
export async function loadBridgeCredentials(dataDir: string): Promise<BridgeCredentials> {
  const layout = bridgeLayout(dataDir);
  const credential = await readTextFile(layout.credential);
  const caPem = await readTextFile(layout.paymentCa);
  const blocks = credential === undefined ? [] : pemBlocks(credential);
  const key = blocks.find((b) => b.label === 'PRIVATE KEY');
  const cert = blocks.find((b) => b.label === 'CERTIFICATE');
  if (!key || !cert || caPem === undefined || pemBlocks(caPem).length === 0) {
    throw new BridgeCredentialsFailure(
      'bridge-not-initialised',
      `no payment bridge credential in ${layout.dir}; run 'fleetplane payment init --data ${dataDir}'`,
    );
  }
  return {
    keyPem: toPem(key.der, 'PRIVATE KEY'),
    certPem: toPem(cert.der, 'CERTIFICATE'),
    caPem,
  };
}
