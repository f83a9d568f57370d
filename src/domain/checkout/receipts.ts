import type { Readable } from 'node:stream';
import type { BlobStore } from '../../stores/blobs/blob-store.js';
import { receiptBlobKey, type Receipt, type SignedReceipt } from './receipt.js';
import type { ReceiptSigner } from './receipt-signer.js';

export { buildReceipt, receiptBlobKey, receiptId } from './receipt.js';
export type { Receipt, SignedReceipt } from './receipt.js';
export { ReceiptSigner, RECEIPT_SIGNING_KEY, verifyReceipt } from './receipt-signer.js';

/**
 * Signed receipts in the blob store at receipts/<store>/<session>.json. A put is atomic, and the
 * key is fixed per session, so issuing a receipt again replaces it whole and never makes a second.
 */
export class Receipts {
  constructor(
    private readonly blobs: BlobStore,
    readonly signer: ReceiptSigner,
  ) {}

  async issue(receipt: Receipt): Promise<SignedReceipt> {
    const signed = this.signer.sign(receipt);
    const key = receiptBlobKey(receipt.store_id, receipt.session_id);
    await this.blobs.put(key, Buffer.from(JSON.stringify(signed), 'utf8'));
    return signed;
  }

  async read(storeId: string, sessionId: string): Promise<SignedReceipt | undefined> {
    const stream = await this.blobs.get(receiptBlobKey(storeId, sessionId));
    if (!stream) return undefined;
    return JSON.parse((await readAll(stream)).toString('utf8')) as SignedReceipt;
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
