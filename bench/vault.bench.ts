// Putting accounts into the PII vault on this machine: each account gets its own data key file
// from the local keyring (created, wrapped, written 0600), five fields sealed with AES-256-GCM, an
// e-mail lookup digest, and one row plus one lookup row in the region's PGlite database. Also
// reads them back (get + open). Reports accounts per second for each phase and one JSON line.
// BENCH_ACCOUNTS=200 npm run bench:vault for a shorter run.
import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKeyring } from '../src/stores/keys/index.js';
import { FieldCipher, openVaults, VAULT_FIELDS } from '../src/stores/vault/index.js';
import { fmt } from './measure.js';

const accounts = Number(process.env['BENCH_ACCOUNTS'] ?? 1000);
const step = (label: string) => process.stderr.write(`… ${label}\n`);
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

console.log(
  `fleetplane vault benchmark — Node ${process.version}, ${availableParallelism()} cores, ${fmt(accounts)} accounts`,
);
const dir = await mkdtemp(join(tmpdir(), 'fleetplane-bench-vault-'));
try {
  step('opening both regions (fresh PGlite databases)');
  let t0 = process.hrtime.bigint();
  const vaults = await openVaults({ dataDir: dir });
  const openSeconds = seconds(t0);
  const store = vaults.get('eu')!;
  const cipher = new FieldCipher(new LocalKeyring(dir));
  const ids = Array.from({ length: accounts }, () => randomUUID());

  step(`putting ${accounts} accounts, one after another`);
  t0 = process.hrtime.bigint();
  let sealSeconds = 0;
  for (const [i, id] of ids.entries()) {
    const email = `person${i}@example.org`;
    const s0 = process.hrtime.bigint();
    const fields = await cipher.sealFields('eu', id, {
      email,
      first_name: `First${i}`,
      last_name: `Last${i}`,
      phone: `+44 20 7946 ${String(i).padStart(4, '0')}`,
      address: `${i} Example Street, London`,
    });
    const digest = await cipher.lookupDigest('email', email);
    sealSeconds += seconds(s0);
    await store.putAccount({ accountId: id, fields, at: new Date() });
    await store.setLookup('email', digest, id);
  }
  const putSeconds = seconds(t0);

  step(`reading and opening ${accounts} accounts`);
  t0 = process.hrtime.bigint();
  for (const id of ids) {
    const account = await store.getAccount(id);
    await cipher.openFields('eu', id, account!.fields, VAULT_FIELDS);
  }
  const getSeconds = seconds(t0);
  await Promise.all([...vaults.values()].map((v) => v.close()));

  // The physical limits, measured in the same run: a durable new file (what each account's key
  // costs the local keyring) and one AES-256-GCM seal of a field.
  step('measuring fsync-ed file creates and AES-256-GCM seals on this machine');
  const files = join(dir, 'fsync');
  await mkdir(files);
  const fsyncN = Math.min(accounts, 300);
  t0 = process.hrtime.bigint();
  for (let i = 0; i < fsyncN; i++) {
    const handle = await open(join(files, `f${i}`), 'wx', 0o600);
    await handle.write(randomBytes(120));
    await handle.sync();
    await handle.close();
  }
  const fsyncPerSecond = fsyncN / seconds(t0);
  const key = randomBytes(32);
  const sealN = 50_000;
  t0 = process.hrtime.bigint();
  for (let i = 0; i < sealN; i++) {
    const cipher = createCipheriv('aes-256-gcm', key, randomBytes(12));
    cipher.update('person@example.org', 'utf8');
    cipher.final();
    cipher.getAuthTag();
  }
  const sealsPerSecond = sealN / seconds(t0);

  console.log(`open both regions:   ${openSeconds.toFixed(1)} s`);
  console.log(
    `put (seal + write):  ${putSeconds.toFixed(1)} s, ${fmt(accounts / putSeconds)} accounts/s`,
  );
  console.log(
    `  of which sealing:  ${sealSeconds.toFixed(1)} s (a new key file per account, 5 fields, 1 digest)`,
  );
  console.log(
    `get (read + open):   ${getSeconds.toFixed(1)} s, ${fmt(accounts / getSeconds)} accounts/s`,
  );
  console.log(
    `limits here:         ${fmt(fsyncPerSecond)} durable file creates/s, ${fmt(sealsPerSecond)} AES-256-GCM seals/s`,
  );
  console.log(
    `put rate vs durable-create limit: ${((100 * accounts) / putSeconds / fsyncPerSecond).toFixed(0)} % (one key file per account)`,
  );
  console.log(
    JSON.stringify({
      bench: 'vault',
      accounts,
      openSeconds,
      putSeconds,
      sealSeconds,
      getSeconds,
      putPerSecond: accounts / putSeconds,
      getPerSecond: accounts / getSeconds,
      fsyncPerSecond,
      sealsPerSecond,
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
