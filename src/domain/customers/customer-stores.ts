import { openAuditLog } from '../../stores/audit/index.js';
import type { AuditLog } from '../../stores/audit/audit-log.js';
import type { AccountRegion } from '../../stores/entities/customers/customer-records.js';
import { LocalKeyring } from '../../stores/keys/local-keyring.js';
import type { KeyProvider } from '../../stores/keys/key-provider.js';
import { SubjectTokenStore } from '../privacy/masking/subject-tokens.js';
import { FieldCipher } from '../../stores/vault/field-cipher.js';
import { openVaultsOnUse } from '../../stores/vault/open-vault.js';
import type { Vaults } from './identity-service.js';
import type { PersonalTokens } from './personal-tokens.js';
import { CredentialSealKeys } from './seal-keys.js';

export interface CustomerStoreOptions {
  readonly dataDir: string;
  readonly keys: KeyProvider;
  /** A PostgreSQL database per region for the vault; PGlite under DIR/vault/<region> otherwise. */
  readonly vaultUrls?: Partial<Record<AccountRegion, string>>;
  /** A PostgreSQL URL for the audit log; SQLite under DIR/audit otherwise. */
  readonly auditUrl?: string;
}

/** What the identity service, the data-subject requests and the member import work on. */
export interface CustomerStores {
  readonly vaults: Vaults;
  readonly audit: AuditLog;
  readonly cipher: FieldCipher;
  readonly sealKeys: CredentialSealKeys;
  /** The masking token store under DIR/privacy/tokens/, for DSAR export and deletion. */
  readonly tokens: PersonalTokens;
  close(): Promise<void>;
}

export async function openCustomerStores(options: CustomerStoreOptions): Promise<CustomerStores> {
  const vaults = await openVaultsOnUse({
    dataDir: options.dataDir,
    ...(options.vaultUrls ? { urls: options.vaultUrls } : {}),
  });
  try {
    const audit = await openAuditLog(
      options.auditUrl ? { url: options.auditUrl } : { dir: options.dataDir },
    );
    return {
      vaults,
      audit,
      cipher: new FieldCipher(options.keys),
      sealKeys: new CredentialSealKeys(options.keys),
      // The masking commands keep their token keys in DIR's local keyring whichever provider the
      // platform runs with (cli/privacy), so the tokens are recomputed under that keyring.
      tokens: new SubjectTokenStore(options.dataDir, new LocalKeyring(options.dataDir)),
      async close() {
        await audit.close();
        for (const vault of vaults.values()) await vault.close();
      },
    };
  } catch (error) {
    for (const vault of vaults.values()) await vault.close().catch(() => undefined);
    throw error;
  }
}
