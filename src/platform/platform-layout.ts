import { join, resolve } from 'node:path';

/** Where the running platform keeps its own state under `--data DIR`, beside the identity files. */
export interface PlatformLayout {
  readonly root: string;
  /** pid and API address of the process that owns the embedded databases. */
  readonly lock: string;
  readonly brokerDir: string;
  /** The broker's (and device API's) server certificate, issued from the fleet CA. */
  readonly brokerServer: ServerIdentityFiles;
  /** The HTTP API's server certificate, issued from the fleet CA unless the operator brings one. */
  readonly apiServer: ServerIdentityFiles;
  readonly telemetryDb: string;
  readonly projectionDb: string;
  /** The integrations document, cursors and delivery logs (decision 058). */
  readonly integrationsDb: string;
  readonly entitiesDir: string;
  readonly blobsDir: string;
  readonly tokenKey: string;
  /** The metric samples the ops console charts (decision 023). */
  readonly metricsHistoryDb: string;
  /** How the daily retention job last went, kept across restarts (decision 063). */
  readonly retentionLastRun: string;
}

/** A TLS server's key, certificate chain and what it was issued for (see server-identity.ts). */
export interface ServerIdentityFiles {
  readonly key: string;
  readonly cert: string;
  readonly info: string;
}

export function platformLayout(dataDir: string): PlatformLayout {
  const root = resolve(dataDir);
  const brokerDir = join(root, 'broker');
  const apiDir = join(root, 'api');
  return {
    root,
    lock: join(root, 'platform.lock'),
    brokerDir,
    brokerServer: {
      key: join(brokerDir, 'server.key.pem'),
      cert: join(brokerDir, 'server.cert.pem'),
      info: join(brokerDir, 'server.json'),
    },
    apiServer: {
      key: join(apiDir, 'server.key.pem'),
      cert: join(apiDir, 'server.cert.pem'),
      info: join(apiDir, 'server.json'),
    },
    telemetryDb: join(root, 'telemetry', 'telemetry.sqlite'),
    projectionDb: join(root, 'ingest', 'projection.sqlite'),
    integrationsDb: join(root, 'integrations', 'integrations.sqlite'),
    entitiesDir: join(root, 'entities', 'pglite'),
    blobsDir: join(root, 'blobs'),
    tokenKey: join(apiDir, 'token-signing-key.json'),
    metricsHistoryDb: join(root, 'metrics', 'history.db'),
    retentionLastRun: join(root, 'retention', 'last-run.json'),
  };
}
