// The customer side of the platform on one data directory, for identity-service and
// data-subject-request tests: a PGlite entity store, both regions' vaults, a local keyring, the
// SQLite audit log and the fake payment gateway.
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import {
  credentialAad,
  sealCredential,
  type Identify,
  type SealKey,
} from '../src/contract/index.js';
import { SqliteAuditLog } from '../src/stores/audit/sqlite-audit-log.js';
import { DataSubjectRequests } from '../src/domain/customers/data-subject-requests.js';
import { SubjectTokenStore } from '../src/domain/privacy/masking/subject-tokens.js';
import { IdentityService } from '../src/domain/customers/identity-service.js';
import { CredentialSealKeys } from '../src/domain/customers/seal-keys.js';
import { openEntityStore } from '../src/stores/entities/index.js';
import type { AccountRegion } from '../src/stores/entities/customers/customer-records.js';
import { LocalKeyring } from '../src/stores/keys/index.js';
import { FieldCipher } from '../src/stores/vault/field-cipher.js';
import { openVaults } from '../src/stores/vault/open-vault.js';
import type { TestDevice } from './entity-events.js';
import { FakePaymentGateway } from './fake-payment-gateway.js';
import { vaultDataDir } from './vault.js';

export async function customerWorld(t: TestContext, stores: Record<string, AccountRegion>) {
  const dataDir = await vaultDataDir(t);
  const entities = await openEntityStore({ dataDir });
  const vaults = await openVaults({ dataDir });
  const keys = new LocalKeyring(dataDir);
  const audit = new SqliteAuditLog(join(dataDir, 'audit', 'audit.db'));
  t.after(async () => {
    await audit.close();
    for (const v of vaults.values()) await v.close();
    await entities.close();
  });
  await entities.migrate();
  for (const [storeId, region] of Object.entries(stores)) {
    await entities.upsertStore({ storeId, name: storeId, region, timezone: null });
  }
  const cipher = new FieldCipher(keys);
  const sealKeys = new CredentialSealKeys(keys);
  const payments = new FakePaymentGateway();
  let clock = Date.parse('2026-11-23T09:00:00.000Z');
  const now = () => clock;
  const identity = new IdentityService({
    entities,
    vaults,
    cipher,
    audit,
    sealKeys,
    payments,
    storeRegion: async (id) => stores[id] ?? 'us',
    now,
  });
  const tokens = new SubjectTokenStore(dataDir, keys);
  const dsar = new DataSubjectRequests({ entities, vaults, cipher, audit, tokens, now });
  const seal = await sealKeys.current();
  return {
    dataDir,
    entities,
    vaults,
    keys,
    audit,
    cipher,
    identity,
    dsar,
    payments,
    seal,
    advance: (ms: number) => (clock += ms),
    /** An identify event as a cart in `storeId` would send it, credential sealed to the service. */
    identify: (
      cart: TestDevice,
      sessionId: string,
      method: Identify['method'],
      value: string,
      key: SealKey = seal,
    ) =>
      cart.event('identify', {
        session_id: sessionId,
        method,
        credential: sealCredential(
          { kid: key.kid, publicKey: Buffer.from(key.public_key, 'base64url') },
          value,
          credentialAad(cart.deviceId, sessionId, method),
        ),
      }),
  };
}
