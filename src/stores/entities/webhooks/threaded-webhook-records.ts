import type { ThreadClient } from '../../../shared/threads/thread-client.js';
import type { SqlWebhookRecords } from './webhook-queries.js';
import type { WebhookRecords } from './webhook-records.js';

type Method = keyof WebhookRecords & keyof SqlWebhookRecords;

/**
 * WebhookRecords across the thread boundary: each call goes to the worker's SqlEntityStore, which
 * forwards it to its SqlWebhookRecords. ThreadedEntityStore forwards its webhook methods here.
 */
export class ThreadedWebhookRecords implements WebhookRecords {
  constructor(private readonly thread: ThreadClient) {}

  addWebhook(...a: Parameters<WebhookRecords['addWebhook']>) {
    return this.#call<'addWebhook'>('addWebhook', a);
  }
  getWebhook(...a: Parameters<WebhookRecords['getWebhook']>) {
    return this.#call<'getWebhook'>('getWebhook', a);
  }
  listWebhooks() {
    return this.#call<'listWebhooks'>('listWebhooks', []);
  }
  removeWebhook(...a: Parameters<WebhookRecords['removeWebhook']>) {
    return this.#call<'removeWebhook'>('removeWebhook', a);
  }
  enqueueWebhookEvent(...a: Parameters<WebhookRecords['enqueueWebhookEvent']>) {
    return this.#call<'enqueueWebhookEvent'>('enqueueWebhookEvent', a);
  }
  claimDueDeliveries(...a: Parameters<WebhookRecords['claimDueDeliveries']>) {
    return this.#call<'claimDueDeliveries'>('claimDueDeliveries', a);
  }
  recordDeliveryAttempt(...a: Parameters<WebhookRecords['recordDeliveryAttempt']>) {
    return this.#call<'recordDeliveryAttempt'>('recordDeliveryAttempt', a);
  }
  listDeliveries(...a: Parameters<WebhookRecords['listDeliveries']>) {
    return this.#call<'listDeliveries'>('listDeliveries', a);
  }

  #call<M extends Method>(method: M, args: readonly unknown[]): ReturnType<WebhookRecords[M]> {
    return this.thread.call(method, args) as ReturnType<WebhookRecords[M]>;
  }
}
