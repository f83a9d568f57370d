import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import {
  claimClientId,
  claimTopics,
  SCHEMA_VERSION,
  validateClaimDocument,
  type ClaimRefusalReason,
  type ClaimRequest,
  type ClaimResponse,
} from '../../contract/index.js';
import { writePrivateFile } from '../secure-element/key-file.js';
import { SoftwareKeystore } from '../secure-element/software-keystore.js';
import type { ClaimCredentials } from './claim-dir.js';

/** The platform refused the claim; `reason` is one of the contract's closed set. */
export class ClaimRefused extends Error {
  constructor(
    readonly reason: ClaimRefusalReason,
    readonly detail: string,
  ) {
    super(`claim refused: ${reason}: ${detail}`);
    this.name = 'ClaimRefused';
  }
}

export interface ClaimOptions {
  readonly url: string;
  readonly claim: ClaimCredentials;
  readonly serial: string;
  /** Where the device's key is made and its certificate written (what device-link reads). */
  readonly out: string;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

export interface ClaimedDevice {
  readonly serial: string;
  readonly deviceClass: string;
  readonly storeId: string;
}

/**
 * What firmware does on first boot with only a claim certificate (decision 044): make its key
 * (kept if one exists, so a retry after a lost response asks with the same key and gets the same
 * certificate), connect as `claim:<serial>`, subscribe to its response topic, send the CSR on
 * its request topic, and write the certificate it gets where `loadProvisionedDevice` reads it.
 * Refusals throw a ClaimRefused with the platform's reason.
 */
export async function claimCertificate(options: ClaimOptions): Promise<ClaimedDevice> {
  const { serial, out, claim } = options;
  const keystore = (await SoftwareKeystore.open(out)) ?? (await SoftwareKeystore.create(out));
  const csr = await keystore.createCsr({ commonName: serial });
  const client = await connectClaim(options);
  try {
    const response = await ask(client, options, csr);
    if (response.outcome !== 'issued') {
      throw new ClaimRefused(response.reason ?? 'unavailable', response.detail ?? '');
    }
    const { certificate_pem, chain_pem, trust_pem, device_class, store_id } = response;
    if (!certificate_pem || !chain_pem || !trust_pem || !device_class || !store_id) {
      throw new Error('the claim response was issued but lacks the certificate or trust');
    }
    const files: [string, string][] = [
      ['device.cert.pem', certificate_pem],
      ['chain.pem', chain_pem],
      ['trust.pem', trust_pem],
      [
        'device.json',
        JSON.stringify(
          {
            serial,
            store: store_id,
            class: device_class,
            claimed_with: claim.claimId,
            registered: true,
          },
          null,
          2,
        ) + '\n',
      ],
    ];
    // device.json last: a directory with it is complete.
    for (const [name, content] of files) {
      await writePrivateFile(join(out, name), content, { exclusive: false });
    }
    return { serial, deviceClass: device_class, storeId: store_id };
  } finally {
    await client.endAsync(true).catch(() => undefined);
  }
}

function connectClaim(options: ClaimOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(options.url, {
      clientId: claimClientId(options.serial),
      protocolVersion: 5,
      clean: true,
      key: options.claim.keyPem,
      cert: options.claim.certChainPem,
      ca: options.claim.trustPem,
      rejectUnauthorized: true,
      reconnectPeriod: 0,
      connectTimeout: options.timeoutMs ?? 10_000,
    });
    const fail = (why: string) => {
      client.removeAllListeners('connect');
      client.end(true);
      reject(new Error(`the claim connection to ${options.url} failed: ${why}`));
    };
    client.once('error', (error) => fail(error.message));
    client.once('close', () => fail('the broker closed it (claim certificate refused?)'));
    client.once('connect', () => {
      client.removeAllListeners('error');
      client.removeAllListeners('close');
      resolve(client);
    });
  });
}

/** Subscribes, sends the one request and waits for the response that echoes its nonce. */
async function ask(client: MqttClient, options: ClaimOptions, csr: string): Promise<ClaimResponse> {
  const { serial } = options;
  const nonce = randomUUID();
  const granted = await client.subscribeAsync(claimTopics.response(serial), { qos: 1 });
  if (granted.some((g) => g.qos > 1)) throw new Error('the broker refused the response topic');
  const answered = new Promise<ClaimResponse>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no claim response within ${options.timeoutMs ?? 10_000} ms`)),
      options.timeoutMs ?? 10_000,
    );
    client.once('close', () => {
      clearTimeout(timer);
      reject(new Error('the claim connection closed before the response'));
    });
    client.on('message', (topic, payload) => {
      if (topic !== claimTopics.response(serial)) return;
      const checked = validateClaimDocument<ClaimResponse>(
        'claim-response',
        JSON.parse(payload.toString('utf8')),
      );
      if (!checked.ok || (checked.value.nonce !== undefined && checked.value.nonce !== nonce)) {
        return;
      }
      clearTimeout(timer);
      resolve(checked.value);
    });
  });
  const request: ClaimRequest = {
    schema_version: SCHEMA_VERSION as 1,
    type: 'claim-request',
    serial,
    csr,
    nonce,
    ts: (options.now?.() ?? new Date()).toISOString(),
  };
  await client.publishAsync(claimTopics.request(serial), JSON.stringify(request), { qos: 1 });
  return answered;
}
