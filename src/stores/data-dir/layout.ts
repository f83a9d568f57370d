import { join, resolve } from 'node:path';

/**
 * Where everything lives under `--data DIR`. One file per device, per store and per revoked
 * certificate, so provisioning a large fleet never rewrites a growing file, concurrent CLI runs
 * touch different files, and a duplicate is detected by creating a file exclusively.
 *
 *   DIR/ca/g<N>/generation.json        when generation N was created and the overlap it granted
 *   DIR/ca/g<N>/{root,issuing}.key.pem  PKCS#8, mode 0600
 *   DIR/ca/g<N>/{root,issuing}.cert.pem
 *   DIR/ca/chain-g<N>.pem               the issuing CA certificate of generation N
 *   DIR/ca/trust-bundle.pem             every root trusted when it was last written
 *   DIR/ca/crl.pem                      one CRL per CA of every trusted generation
 *   DIR/ca/revoked/<cert-serial>.json   one file per revoked certificate
 *   DIR/registry/devices/<serial>.json
 *   DIR/registry/stores/<id>.json
 *
 * Callers validate ids (isDeviceId, isStoreId) before asking for a path: those patterns admit no
 * '/' and no '..', which is what makes them safe as file names.
 */
export interface DataLayout {
  readonly root: string;
  readonly caDir: string;
  generationDir(generation: number): string;
  generationFile(generation: number, file: GenerationFile): string;
  chain(generation: number): string;
  readonly trustBundle: string;
  readonly crl: string;
  readonly revokedDir: string;
  revoked(certSerialHex: string): string;
  readonly devicesDir: string;
  device(serial: string): string;
  readonly storesDir: string;
  store(id: string): string;
}

export type GenerationFile =
  'generation.json' | 'root.key.pem' | 'root.cert.pem' | 'issuing.key.pem' | 'issuing.cert.pem';

export function dataLayout(dataDir: string): DataLayout {
  const root = resolve(dataDir);
  const caDir = join(root, 'ca');
  const devicesDir = join(root, 'registry', 'devices');
  const storesDir = join(root, 'registry', 'stores');
  const revokedDir = join(caDir, 'revoked');
  const generationDir = (generation: number) => join(caDir, `g${generation}`);
  return {
    root,
    caDir,
    generationDir,
    generationFile: (generation, file) => join(generationDir(generation), file),
    chain: (generation) => join(caDir, `chain-g${generation}.pem`),
    trustBundle: join(caDir, 'trust-bundle.pem'),
    crl: join(caDir, 'crl.pem'),
    revokedDir,
    revoked: (certSerialHex) => join(revokedDir, `${certSerialHex}.json`),
    devicesDir,
    device: (serial) => join(devicesDir, `${serial}.json`),
    storesDir,
    store: (id) => join(storesDir, `${id}.json`),
  };
}
