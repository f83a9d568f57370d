import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCsr } from './csr.js';
import { KeystoreFailure } from './errors.js';
import { writePrivateFile } from './key-file.js';
import type { CsrSubject, SecureElement } from './secure-element.js';

export const DEVICE_KEY_FILE = 'device.key.pem';

/**
 * A SecureElement backed by a PKCS#8 key file (mode 0600) in a directory: for development,
 * tests and devices without a secure element. The key is loaded into a KeyObject once; no
 * method returns it. A replacement key (renewal) is written beside the current one and only
 * takes its place on commit(), so a failed renewal leaves the device with its working key.
 */
export class SoftwareKeystore implements SecureElement {
  private readonly spki: Buffer;

  private constructor(
    private readonly privateKey: KeyObject,
    /** The file holding the key; for a replacement, the staging file until commit(). */
    private path: string,
    private readonly finalPath: string,
  ) {
    this.spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  }

  /** The key stored in `dir`, or undefined if there is none. */
  static async open(dir: string, file = DEVICE_KEY_FILE): Promise<SoftwareKeystore | undefined> {
    const path = join(dir, file);
    let pem: string;
    try {
      pem = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new KeystoreFailure('key-unreadable', `cannot read ${path}`, { cause: error });
    }
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      throw new KeystoreFailure('key-unreadable', `${path} is not a PEM private key`);
    }
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new KeystoreFailure('wrong-key-type', `${path} is not an EC P-256 key`);
    }
    return new SoftwareKeystore(key, path, path);
  }

  /** Generates a key and stores it in `dir`; refuses to overwrite an existing one. */
  static async create(dir: string, file = DEVICE_KEY_FILE): Promise<SoftwareKeystore> {
    const path = join(dir, file);
    const key = generate();
    if (!(await writePrivateFile(path, pem(key), { exclusive: true }))) {
      throw new KeystoreFailure('key-exists', `${path} exists; a device key is never overwritten`);
    }
    return new SoftwareKeystore(key, path, path);
  }

  /** Generates a key that will replace the one in `dir` when commit() is called. */
  static async createReplacement(dir: string, file = DEVICE_KEY_FILE): Promise<SoftwareKeystore> {
    const finalPath = join(dir, file);
    const staging = `${finalPath}.new`;
    const key = generate();
    await writePrivateFile(staging, pem(key), { exclusive: false });
    return new SoftwareKeystore(key, staging, finalPath);
  }

  /** Makes a replacement key the device's key. Does nothing for a key already in place. */
  async commit(): Promise<void> {
    if (this.path === this.finalPath) return;
    await rename(this.path, this.finalPath);
    this.path = this.finalPath;
  }

  /** Drops a replacement key that was not needed. */
  async discard(): Promise<void> {
    if (this.path !== this.finalPath) await unlink(this.path).catch(() => undefined);
  }

  publicKeySpki(): Uint8Array {
    return new Uint8Array(this.spki);
  }

  sign(data: Uint8Array): Uint8Array {
    return new Uint8Array(
      sign('sha256', data, { key: this.privateKey, dsaEncoding: 'ieee-p1363' }),
    );
  }

  async createCsr(subject: CsrSubject): Promise<string> {
    return buildCsr(this.spki, (data) => this.sign(data), subject);
  }

  /**
   * The key for the TLS handshake. A chip signs the handshake inside the TLS stack's engine and
   * never hands the key out; the software stand-in has a key file anyway, and Node's TLS client
   * wants it as PEM.
   */
  exportTlsKeyPem(): string {
    return pem(this.privateKey);
  }
}

function generate(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
}

function pem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}
