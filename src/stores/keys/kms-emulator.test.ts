import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { KmsEmulator } from '../../../test-support/kms-emulator.js';

// The KMS adapter's tests are only as good as the emulator's likeness to KMS: these pin the rules
// it copies from the KMS API reference, through the real SDK client.

function awsError(name: string, status = 400) {
  return (error: unknown) => {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    assert.equal(e.name, name, String(error));
    assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  };
}

describe('KMS emulator (test support)', () => {
  it('generates a data key under an alias and decrypts it only with the same context, in any order', async (t) => {
    const kms = await KmsEmulator.start(t);
    const arn = kms.createKey('fleetplane');
    const client = kms.client(t);
    const context = { purpose: 'fleetplane:data:x', tenant: 't-1' };
    const made = await client.send(
      new GenerateDataKeyCommand({
        KeyId: 'alias/fleetplane',
        KeySpec: 'AES_256',
        EncryptionContext: context,
      }),
    );
    assert.equal(made.KeyId, arn);
    assert.equal(made.Plaintext?.length, 32);
    const back = await client.send(
      new DecryptCommand({
        KeyId: arn,
        CiphertextBlob: made.CiphertextBlob,
        EncryptionContext: { tenant: 't-1', purpose: 'fleetplane:data:x' },
      }),
    );
    assert.deepEqual(Buffer.from(back.Plaintext!), Buffer.from(made.Plaintext!));
    await assert.rejects(
      client.send(
        new DecryptCommand({
          CiphertextBlob: made.CiphertextBlob,
          EncryptionContext: { purpose: 'fleetplane:data:y', tenant: 't-1' },
        }),
      ),
      awsError('InvalidCiphertextException'),
    );
  });

  it('refuses a key it does not hold, and a Decrypt naming another key than the blob', async (t) => {
    const kms = await KmsEmulator.start(t);
    const one = kms.createKey();
    const two = kms.createKey();
    const client = kms.client(t);
    await assert.rejects(
      client.send(new EncryptCommand({ KeyId: 'alias/missing', Plaintext: Buffer.from('x') })),
      awsError('NotFoundException'),
    );
    const sealed = await client.send(
      new EncryptCommand({ KeyId: one, Plaintext: Buffer.from('x') }),
    );
    await assert.rejects(
      client.send(new DecryptCommand({ KeyId: two, CiphertextBlob: sealed.CiphertextBlob })),
      awsError('IncorrectKeyException'),
    );
    kms.disableKey(one);
    await assert.rejects(
      client.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob })),
      awsError('DisabledException'),
    );
  });

  it('checks the SigV4 signature: a wrong secret or an unknown access key is refused', async (t) => {
    const kms = await KmsEmulator.start(t);
    const arn = kms.createKey();
    const command = () => new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') });
    const wrongSecret = kms.client(t, {
      credentials: { accessKeyId: kms.credentials.accessKeyId, secretAccessKey: 'guess' },
    });
    await assert.rejects(wrongSecret.send(command()), awsError('InvalidSignatureException'));
    const stranger = kms.client(t, {
      credentials: { accessKeyId: 'AKIDSTRANGER', secretAccessKey: 'guess' },
    });
    await assert.rejects(stranger.send(command()), awsError('UnrecognizedClientException'));
    assert.deepEqual(kms.calls, []);
    await kms.client(t).send(command());
    assert.deepEqual(kms.calls, ['Encrypt']);
  });
});
