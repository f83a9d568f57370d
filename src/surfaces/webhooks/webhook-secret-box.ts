import { open, seal } from '../../stores/keys/envelope.js';

/** The data key webhook secrets are sealed under (the key provider keeps it wrapped). */
export const WEBHOOK_SECRET_KEY = 'webhooks.signing-secrets';
const PREFIX = 'sealed:v1:';

/**
 * Webhook signing secrets at rest: sealed with AES-256-GCM under a data key of the key provider
 * (the local keyring, or AWS KMS), bound to their webhook's id, so a copy of the database alone
 * cannot sign a forged delivery. Rows written before sealing (`whsec_…` in the clear) still open.
 */
export class WebhookSecretBox {
  constructor(private readonly key: () => Promise<Buffer>) {}

  async seal(webhookId: string, secret: string): Promise<string> {
    const s = seal(await this.key(), Buffer.from(secret, 'utf8'), aad(webhookId));
    return `${PREFIX}${s.iv}.${s.ct}.${s.tag}`;
  }

  /** Throws the key provider's 'decrypt-failed' for another webhook's or a tampered value. */
  async open(webhookId: string, stored: string): Promise<string> {
    if (!stored.startsWith(PREFIX)) return stored;
    const [iv = '', ct = '', tag = ''] = stored.slice(PREFIX.length).split('.');
    return open(await this.key(), { iv, ct, tag }, aad(webhookId)).toString('utf8');
  }
}

function aad(webhookId: string): string {
  return `webhook-secret:${webhookId}`;
}
