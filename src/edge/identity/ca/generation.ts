import { X509Certificate } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  listDirectory,
  readJsonFile,
  readTextFile,
  type DataLayout,
  type GenerationFile,
} from '../../../stores/data-dir/index.js';
import { addMinutes, addYears, earliest } from '../clock.js';
import { identityFailure } from '../errors.js';
import { P256, x509, type CryptoKey } from '../x509.js';
import { generateP256, importSigningKey, privateKeyPem } from './keys.js';
import {
  BACKDATE_MINUTES,
  ISSUING_VALIDITY_YEARS,
  ROOT_VALIDITY_YEARS,
  issuingSubject,
  randomSerialHex,
  rootSubject,
} from './profile.js';

/** One CA certificate of a generation, parsed both ways: the library for fields, Node for checks. */
export interface CaCertificate {
  readonly pem: string;
  readonly cert: x509.X509Certificate;
  readonly node: X509Certificate;
  readonly fingerprint256: string;
  readonly keyPath: string;
}

/** A root and the issuing CA it signed. Everything in a generation is written once, never changed. */
export interface CaGeneration {
  readonly generation: number;
  readonly createdAt: Date;
  /** Set on generations created by rotation: until when the generations before stay trusted. */
  readonly previousTrustedUntil?: Date;
  readonly root: CaCertificate;
  readonly issuing: CaCertificate;
}

interface GenerationMeta {
  generation: number;
  created_at: string;
  previous_trusted_until?: string;
}

export async function listGenerationNumbers(layout: DataLayout): Promise<number[]> {
  return (await listDirectory(layout.caDir))
    .map((name) => /^g([1-9][0-9]*)$/.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * Creates generation `n` in a hidden directory and renames it into place: the rename is atomic
 * and fails if `g<n>` exists, so a generation appears complete or not at all, and two concurrent
 * `ca init`/`ca rotate` runs cannot both create it. Returns false if another run won.
 */
export async function createGeneration(
  layout: DataLayout,
  n: number,
  options: { now: Date; previousTrustedUntil?: Date },
): Promise<boolean> {
  const { now } = options;
  const notBefore = addMinutes(now, -BACKDATE_MINUTES);
  const rootKeys = await generateP256();
  const rootNotAfter = addYears(now, ROOT_VALIDITY_YEARS);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialHex(),
    name: rootSubject(n),
    notBefore,
    notAfter: rootNotAfter,
    signingAlgorithm: P256,
    keys: rootKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const issuingKeys = await generateP256();
  const issuing = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: issuingSubject(n),
    issuer: root.subjectName,
    notBefore,
    notAfter: earliest(addYears(now, ISSUING_VALIDITY_YEARS), rootNotAfter),
    signingAlgorithm: P256,
    publicKey: issuingKeys.publicKey,
    signingKey: rootKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(issuingKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root, false),
    ],
  });
  const meta: GenerationMeta = {
    generation: n,
    created_at: now.toISOString(),
    ...(options.previousTrustedUntil
      ? { previous_trusted_until: options.previousTrustedUntil.toISOString() }
      : {}),
  };

  await mkdir(layout.caDir, { recursive: true, mode: 0o700 });
  const staging = join(layout.caDir, `.g${n}.${process.pid}.${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { mode: 0o700 });
  try {
    const put = (file: GenerationFile, data: string, mode = 0o644) =>
      writeFile(join(staging, file), data, { mode, flag: 'wx' });
    await put('root.key.pem', await privateKeyPem(rootKeys.privateKey), 0o600);
    await put('issuing.key.pem', await privateKeyPem(issuingKeys.privateKey), 0o600);
    await put('root.cert.pem', root.toString('pem') + '\n');
    await put('issuing.cert.pem', issuing.toString('pem') + '\n');
    await put('generation.json', JSON.stringify(meta, null, 2) + '\n');
    try {
      await rename(staging, layout.generationDir(n));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') return false;
      throw error;
    }
    return true;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export async function loadGeneration(layout: DataLayout, n: number): Promise<CaGeneration> {
  const file = (name: GenerationFile) => layout.generationFile(n, name);
  const meta = (await readJsonFile(file('generation.json'))) as Partial<GenerationMeta> | undefined;
  if (!meta || meta.generation !== n || typeof meta.created_at !== 'string') {
    throw corrupt(file('generation.json'), 'missing or not a generation record');
  }
  const previous = meta.previous_trusted_until;
  return {
    generation: n,
    createdAt: new Date(meta.created_at),
    ...(typeof previous === 'string' ? { previousTrustedUntil: new Date(previous) } : {}),
    root: await loadCaCertificate(file('root.cert.pem'), file('root.key.pem')),
    issuing: await loadCaCertificate(file('issuing.cert.pem'), file('issuing.key.pem')),
  };
}

async function loadCaCertificate(certPath: string, keyPath: string): Promise<CaCertificate> {
  const pem = await readTextFile(certPath);
  if (pem === undefined) throw corrupt(certPath, 'missing');
  try {
    const node = new X509Certificate(pem);
    return {
      pem,
      cert: new x509.X509Certificate(pem),
      node,
      fingerprint256: node.fingerprint256,
      keyPath,
    };
  } catch {
    throw corrupt(certPath, 'not a PEM certificate');
  }
}

/** The CA's private key, read from disk when a signature is needed and not kept around. */
export async function loadSigningKey(ca: CaCertificate): Promise<CryptoKey> {
  const pem = await readTextFile(ca.keyPath);
  if (pem === undefined) throw corrupt(ca.keyPath, 'missing');
  try {
    return await importSigningKey(pem);
  } catch {
    throw corrupt(ca.keyPath, 'not a PKCS#8 P-256 private key');
  }
}

function corrupt(path: string, why: string) {
  return identityFailure('ca-corrupt', `${path} is ${why}; restore the CA directory from a backup`);
}
