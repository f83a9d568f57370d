import { join, resolve } from 'node:path';

/**
 * Where OTA keeps its files under `--data DIR`, beside the CA (DIR/ca) but never inside it: the
 * firmware-signing key is a separate trust root, so a leaked device-issuing key cannot sign
 * firmware and a leaked firmware key cannot issue device certificates.
 *
 *   DIR/ota/firmware-signing-key.pem     PKCS#8 P-256, mode 0600; only `ota build` reads it
 *   DIR/ota/firmware-signing-public.pem  SPKI; carts are provisioned with it, `ota verify` reads it
 */
export interface OtaLayout {
  readonly dir: string;
  readonly signingKey: string;
  readonly signingPublicKey: string;
}

export function otaLayout(dataDir: string): OtaLayout {
  const dir = join(resolve(dataDir), 'ota');
  return {
    dir,
    signingKey: join(dir, 'firmware-signing-key.pem'),
    signingPublicKey: join(dir, 'firmware-signing-public.pem'),
  };
}
