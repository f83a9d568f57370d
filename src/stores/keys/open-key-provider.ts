import { join, resolve } from 'node:path';
import { keyFailure } from './errors.js';
import { FileWrappedKeyStore } from './file-wrapped-key-store.js';
import { KmsKeyProvider } from './kms-key-provider.js';
import { LocalKeyring } from './local-keyring.js';

export interface KeyProviderConfig {
  /** The platform's data directory (`--data DIR`). */
  readonly dataDir: string;
  /** Use AWS KMS instead of the local keyring. */
  readonly kms?: {
    /** The customer-managed KMS key: key id, key ARN, alias name (`alias/…`) or alias ARN. */
    readonly keyId: string;
    /** Otherwise AWS_REGION or the shared AWS config, as the SDK resolves it. */
    readonly region?: string;
    /** A KMS-compatible endpoint (a VPC endpoint, a test emulator); otherwise AWS's. */
    readonly endpoint?: string;
  };
}

/**
 * The key provider the configuration asks for: the local keyring under `DIR/keys/` by default,
 * or KMS with its wrapped blobs under `DIR/keys-kms/` (a separate directory: the two never read
 * each other's files). Credentials come from the SDK's default chain (environment, shared files,
 * instance or task role), never from this configuration.
 *
 * Async only so that the AWS SDK is loaded when KMS is configured, not by every command.
 */
export async function openKeyProvider(
  config: KeyProviderConfig,
): Promise<LocalKeyring | KmsKeyProvider> {
  const dataDir = resolve(config.dataDir);
  if (!config.kms) return new LocalKeyring(dataDir);
  const { keyId, region, endpoint } = config.kms;
  if (keyId.trim() === '') {
    throw keyFailure('key-provider-refused', 'kms.keyId is empty: name the KMS key to use');
  }
  const { KMSClient } = await import('@aws-sdk/client-kms');
  const client = new KMSClient({
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
  try {
    // Resolved now so a missing region is reported at start-up, not at the first key lookup.
    await client.config.region();
  } catch (error) {
    client.destroy();
    throw keyFailure(
      'key-provider-refused',
      `no AWS region for KMS (${String(error)}): set kms.region or AWS_REGION`,
    );
  }
  return new KmsKeyProvider({
    kms: client,
    keyId,
    store: new FileWrappedKeyStore(join(dataDir, 'keys-kms')),
  });
}
