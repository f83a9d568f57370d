// A local stand-in for AWS KMS, for tests only: an HTTP server speaking the KMS JSON 1.1 protocol
// (POST /, X-Amz-Target: TrentService.<Op>, application/x-amz-json-1.1, base64 blobs, errors as
// {__type, message}) for GenerateDataKey, Decrypt and Encrypt. It checks SigV4 signatures against
// its one set of dummy credentials, so a real KMSClient pointed at it exercises the SDK's
// serialisation, signing and error mapping, not a mock of them. Its rules follow the KMS API
// reference: the encryption context is bound to the ciphertext (a different one is
// InvalidCiphertextException), a KeyId it does not hold is NotFoundException, Decrypt with a
// KeyId other than the ciphertext's is IncorrectKeyException, a disabled key is DisabledException.
// It is not AWS: no IAM policies, grants, quotas or key rotation.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';

const REGION = 'us-east-1';
const ACCOUNT = '111122223333';
const CREDENTIALS = { accessKeyId: 'AKIDFLEETPLANETEST', secretAccessKey: 'fleetplane-test-only' };
const MAX_BODY = 64 * 1024;
const BLOB_VERSION = 1;

interface Cmk {
  readonly id: string;
  readonly arn: string;
  readonly material: Buffer;
  enabled: boolean;
}

/** An error KMS would answer with: its __type, HTTP status and message. */
class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export class KmsEmulator {
  /** Every operation served (after authentication), in order: `Decrypt`, `GenerateDataKey`, … */
  readonly calls: string[] = [];
  readonly region = REGION;
  readonly credentials = CREDENTIALS;
  readonly #keys = new Map<string, Cmk>();
  readonly #aliases = new Map<string, string>();
  readonly #faults: string[] = [];
  #server: Server | undefined;
  #port = 0;

  /** Starts on a free loopback port; stopped when the test ends. */
  static async start(t: TestContext): Promise<KmsEmulator> {
    const emulator = new KmsEmulator();
    await emulator.resume();
    t.after(() => emulator.stop());
    return emulator;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** A customer-managed symmetric key; returns its ARN. `alias` without the `alias/` prefix. */
  createKey(alias?: string): string {
    const id = randomUUID();
    const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
    this.#keys.set(id, { id, arn, material: randomBytes(32), enabled: true });
    if (alias) this.#aliases.set(alias, id);
    return arn;
  }

  disableKey(keyId: string): void {
    this.#resolve(keyId).enabled = false;
  }

  /** The next `times` requests fail with this error type (ThrottlingException, …); 500 for *Internal*. */
  failNext(type: string, times = 1): void {
    for (let i = 0; i < times; i++) this.#faults.push(type);
  }

  /** A real SDK client pointed at the emulator; destroyed when the test ends. */
  client(t: TestContext, config: Partial<KMSClientConfig> = {}): KMSClient {
    const client = new KMSClient({
      endpoint: this.endpoint,
      region: REGION,
      credentials: CREDENTIALS,
      ...config,
    });
    t.after(() => client.destroy());
    return client;
  }

  /** An outage: the port refuses connections until resume(). Live connections are cut. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again, on the same port once it had one, with the same keys. */
  async resume(): Promise<void> {
    if (this.#server) return;
    const server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readBody(req);
      if (req.method !== 'POST' || req.url !== '/') {
        throw new KmsError('UnknownOperationException', 'KMS takes POST /', 404);
      }
      this.#authenticate(req, body);
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!target.startsWith('TrentService.')) {
        throw new KmsError('UnknownOperationException', `unknown target '${target}'`);
      }
      if (req.headers['content-type'] !== 'application/x-amz-json-1.1') {
        throw new KmsError('SerializationException', 'expected application/x-amz-json-1.1');
      }
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new KmsError('SerializationException', 'the body is not JSON');
      }
      const op = target.slice('TrentService.'.length);
      const fault = this.#faults.shift();
      if (fault)
        throw new KmsError(fault, `injected ${fault}`, fault.includes('Internal') ? 500 : 400);
      this.calls.push(op);
      send(res, 200, this.#operate(op, input));
    } catch (error) {
      // Anything but a KmsError is a bug in the emulator: answer as KMS would for its own bugs.
      const e =
        error instanceof KmsError
          ? error
          : new KmsError('KMSInternalException', String(error), 500);
      send(res, e.status, { __type: e.type, message: e.message });
    }
  }

  #operate(op: string, input: Record<string, unknown>): Record<string, unknown> {
    const context = encryptionContext(input['EncryptionContext']);
    switch (op) {
      case 'GenerateDataKey': {
        const key = this.#usable(requiredString(input, 'KeyId'));
        const size = dataKeySize(input);
        const plaintext = randomBytes(size);
        return {
          KeyId: key.arn,
          Plaintext: plaintext.toString('base64'),
          CiphertextBlob: this.#seal(key, plaintext, context).toString('base64'),
        };
      }
      case 'Encrypt': {
        const key = this.#usable(requiredString(input, 'KeyId'));
        const plaintext = base64Field(input, 'Plaintext');
        if (plaintext.length === 0 || plaintext.length > 4096) {
          throw new KmsError('ValidationException', 'Plaintext must be 1 to 4096 bytes');
        }
        return {
          KeyId: key.arn,
          CiphertextBlob: this.#seal(key, plaintext, context).toString('base64'),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      }
      case 'Decrypt': {
        const blob = base64Field(input, 'CiphertextBlob');
        const parsed = parseBlob(blob);
        const key = parsed && this.#keys.get(parsed.keyId);
        if (!parsed || !key) throw new KmsError('InvalidCiphertextException', '');
        if (input['KeyId'] !== undefined) {
          const asked = this.#resolve(requiredString(input, 'KeyId'));
          if (asked.id !== key.id) {
            throw new KmsError(
              'IncorrectKeyException',
              'The key ID in the request does not identify a CMK that can perform this operation.',
            );
          }
        }
        if (!key.enabled) throw new KmsError('DisabledException', `${key.arn} is disabled.`);
        const plaintext = open(key, parsed, context);
        return {
          KeyId: key.arn,
          Plaintext: plaintext.toString('base64'),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      }
      default:
        throw new KmsError('UnknownOperationException', `the emulator does not serve ${op}`);
    }
  }

  #resolve(keyId: string): Cmk {
    const aliasPrefix = `arn:aws:kms:${REGION}:${ACCOUNT}:alias/`;
    const keyPrefix = `arn:aws:kms:${REGION}:${ACCOUNT}:key/`;
    let id = keyId;
    if (keyId.startsWith('alias/')) id = this.#aliases.get(keyId.slice(6)) ?? '';
    else if (keyId.startsWith(aliasPrefix))
      id = this.#aliases.get(keyId.slice(aliasPrefix.length)) ?? '';
    else if (keyId.startsWith(keyPrefix)) id = keyId.slice(keyPrefix.length);
    const key = this.#keys.get(id);
    if (!key) throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`);
    return key;
  }

  #usable(keyId: string): Cmk {
    const key = this.#resolve(keyId);
    if (!key.enabled) throw new KmsError('DisabledException', `${key.arn} is disabled.`);
    return key;
  }

  /** Blob: version, key id, 96-bit nonce, GCM tag, ciphertext; the context is the GCM AAD. */
  #seal(key: Cmk, plaintext: Buffer, context: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.material, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const id = Buffer.from(key.id, 'utf8');
    return Buffer.concat([Buffer.from([BLOB_VERSION, id.length]), id, iv, cipher.getAuthTag(), ct]);
  }

  /** Checks SigV4 (AWS4-HMAC-SHA256) over the request as the SDK signed it. */
  #authenticate(req: IncomingMessage, body: Buffer): void {
    const auth = String(req.headers['authorization'] ?? '');
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m)
      throw new KmsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    const [, accessKey, date, region, service, signedHeaders, signature] = m as unknown as string[];
    if (accessKey !== CREDENTIALS.accessKeyId) {
      throw new KmsError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    if (region !== REGION || service !== 'kms') {
      throw new KmsError(
        'InvalidSignatureException',
        `Credential should be scoped to ${REGION}/kms`,
      );
    }
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const names = signedHeaders!.split(';');
    if (!names.includes('host') || !amzDate.startsWith(date!)) {
      throw new KmsError('InvalidSignatureException', 'host and x-amz-date must be signed');
    }
    const canonicalRequest = [
      'POST',
      '/',
      '',
      ...names.map(
        (n) =>
          `${n}:${String(req.headers[n] ?? '')
            .trim()
            .replace(/\s+/g, ' ')}`,
      ),
      '',
      signedHeaders,
      sha256Hex(body),
    ].join('\n');
    const scope = `${date}/${region}/${service}/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join(
      '\n',
    );
    let signingKey = hmac(`AWS4${CREDENTIALS.secretAccessKey}`, date!);
    for (const part of [region!, service!, 'aws4_request']) signingKey = hmac(signingKey, part);
    const expected = hmac(signingKey, stringToSign);
    if (!timingSafeEqual(expected, Buffer.from(signature!, 'hex'))) {
      throw new KmsError(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
  }
}

function open(key: Cmk, blob: ParsedBlob, context: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.material, blob.iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(blob.tag);
    return Buffer.concat([decipher.update(blob.ct), decipher.final()]);
  } catch {
    // Real KMS says nothing more for a wrong context or a tampered blob.
    throw new KmsError('InvalidCiphertextException', '');
  }
}

interface ParsedBlob {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ct: Buffer;
}

function parseBlob(blob: Buffer): ParsedBlob | undefined {
  if (blob[0] !== BLOB_VERSION || blob.length < 2) return undefined;
  const idEnd = 2 + blob[1]!;
  if (blob.length < idEnd + 28) return undefined;
  return {
    keyId: blob.subarray(2, idEnd).toString('utf8'),
    iv: blob.subarray(idEnd, idEnd + 12),
    tag: blob.subarray(idEnd + 12, idEnd + 28),
    ct: blob.subarray(idEnd + 28),
  };
}

/** The context as KMS binds it: the same pairs in any order are the same context. */
function encryptionContext(value: unknown): string {
  if (value === undefined) return '{}';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KmsError('ValidationException', 'EncryptionContext must be a map of strings');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.some(([, v]) => typeof v !== 'string')) {
    throw new KmsError('ValidationException', 'EncryptionContext values must be strings');
  }
  return JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function dataKeySize(input: Record<string, unknown>): number {
  const spec = input['KeySpec'];
  const bytes = input['NumberOfBytes'];
  if ((spec === undefined) === (bytes === undefined)) {
    throw new KmsError('ValidationException', 'give exactly one of KeySpec and NumberOfBytes');
  }
  if (spec === 'AES_256') return 32;
  if (spec === 'AES_128') return 16;
  if (typeof bytes === 'number' && Number.isInteger(bytes) && bytes >= 1 && bytes <= 1024) {
    return bytes;
  }
  throw new KmsError('ValidationException', 'KeySpec must be AES_256 or AES_128');
}

function requiredString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    throw new KmsError('ValidationException', `${field} is required`);
  }
  return value;
}

function base64Field(input: Record<string, unknown>, field: string): Buffer {
  const value = requiredString(input, field);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
    throw new KmsError('SerializationException', `${field} is not base64`);
  }
  return Buffer.from(value, 'base64');
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new KmsError('ValidationException', 'request too large', 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
