import type { ThreadClient } from '../../../shared/threads/thread-client.js';
import { ThreadedConsoleRecords } from '../console/threaded-console-records.js';
import type { ColdChainRecords } from './coldchain-records.js';

type Method = keyof ColdChainRecords;

/**
 * ColdChainRecords across the thread boundary: each call goes to the worker's SqlEntityStore,
 * which has these methods by inheritance. ThreadedEntityStore inherits this half.
 */
export class ThreadedColdChainRecords extends ThreadedConsoleRecords implements ColdChainRecords {
  constructor(thread: ThreadClient) {
    super(thread);
  }

  addProductProfile(...a: Parameters<ColdChainRecords['addProductProfile']>) {
    return this.#call<'addProductProfile'>('addProductProfile', a);
  }
  listProductProfiles() {
    return this.#call<'listProductProfiles'>('listProductProfiles', []);
  }
  createShipment(...a: Parameters<ColdChainRecords['createShipment']>) {
    return this.#call<'createShipment'>('createShipment', a);
  }
  closeShipment(...a: Parameters<ColdChainRecords['closeShipment']>) {
    return this.#call<'closeShipment'>('closeShipment', a);
  }
  getShipment(...a: Parameters<ColdChainRecords['getShipment']>) {
    return this.#call<'getShipment'>('getShipment', a);
  }
  listShipments(...a: Parameters<ColdChainRecords['listShipments']>) {
    return this.#call<'listShipments'>('listShipments', a);
  }
  recordColdchainReadings(...a: Parameters<ColdChainRecords['recordColdchainReadings']>) {
    return this.#call<'recordColdchainReadings'>('recordColdchainReadings', a);
  }
  findExcursionAnchor(...a: Parameters<ColdChainRecords['findExcursionAnchor']>) {
    return this.#call<'findExcursionAnchor'>('findExcursionAnchor', a);
  }
  listShipmentReadings(...a: Parameters<ColdChainRecords['listShipmentReadings']>) {
    return this.#call<'listShipmentReadings'>('listShipmentReadings', a);
  }
  replaceExcursions(...a: Parameters<ColdChainRecords['replaceExcursions']>) {
    return this.#call<'replaceExcursions'>('replaceExcursions', a);
  }
  listExcursions(...a: Parameters<ColdChainRecords['listExcursions']>) {
    return this.#call<'listExcursions'>('listExcursions', a);
  }
  expireColdchain(...a: Parameters<ColdChainRecords['expireColdchain']>) {
    return this.#call<'expireColdchain'>('expireColdchain', a);
  }

  #call<M extends Method>(method: M, args: readonly unknown[]): ReturnType<ColdChainRecords[M]> {
    return this.thread.call(method, args) as ReturnType<ColdChainRecords[M]>;
  }
}
