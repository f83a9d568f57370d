import { join, resolve } from 'node:path';

/** Where the running platform keeps its own state under `--data DIR`, beside the identity files. */
export interface PlatformLayout {
  readonly root: string;
  /** pid and API address of the process that owns the embedded databases. */
  readonly lock: string;
  readonly brokerDir: string;
  readonly serverKey: string;
  readonly serverCert: string;
  readonly serverInfo: string;
  readonly telemetryDb: string;
  readonly projectionDb: string;
  readonly entitiesDir: string;
  readonly blobsDir: string;
  readonly tokenKey: string;
  /** The metric samples the ops console charts (decision 023). */
  readonly metricsHistoryDb: string;
}

export function platformLayout(dataDir: string): PlatformLayout {
  const root = resolve(dataDir);
  const brokerDir = join(root, 'broker');
  return {
    root,
    lock: join(root, 'platform.lock'),
    brokerDir,
    serverKey: join(brokerDir, 'server.key.pem'),
    serverCert: join(brokerDir, 'server.cert.pem'),
    serverInfo: join(brokerDir, 'server.json'),
    telemetryDb: join(root, 'telemetry', 'telemetry.sqlite'),
    projectionDb: join(root, 'ingest', 'projection.sqlite'),
    entitiesDir: join(root, 'entities', 'pglite'),
    blobsDir: join(root, 'blobs'),
    tokenKey: join(root, 'api', 'token-signing-key.json'),
    metricsHistoryDb: join(root, 'metrics', 'history.db'),
  };
}
