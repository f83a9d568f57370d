import type { ThreadClient } from '../../../shared/threads/thread-client.js';
import { ThreadedToolRecords } from '../tools/threaded-tool-records.js';
import type { RetentionRecords } from './retention-records.js';

type Method = keyof RetentionRecords;

/** RetentionRecords across the thread boundary; ThreadedEntityStore inherits this half. */
export class ThreadedRetentionRecords extends ThreadedToolRecords implements RetentionRecords {
  readonly #thread: ThreadClient;

  constructor(thread: ThreadClient) {
    super(thread);
    this.#thread = thread;
  }

  accountDataDue(...a: Parameters<RetentionRecords['accountDataDue']>) {
    return this.#call<'accountDataDue'>('accountDataDue', a);
  }
  listExpiredSessions(...a: Parameters<RetentionRecords['listExpiredSessions']>) {
    return this.#call<'listExpiredSessions'>('listExpiredSessions', a);
  }
  deleteSessions(...a: Parameters<RetentionRecords['deleteSessions']>) {
    return this.#call<'deleteSessions'>('deleteSessions', a);
  }
  listExpiredAccounts(...a: Parameters<RetentionRecords['listExpiredAccounts']>) {
    return this.#call<'listExpiredAccounts'>('listExpiredAccounts', a);
  }
  deleteAccounts(...a: Parameters<RetentionRecords['deleteAccounts']>) {
    return this.#call<'deleteAccounts'>('deleteAccounts', a);
  }

  #call<M extends Method>(method: M, args: readonly unknown[]): ReturnType<RetentionRecords[M]> {
    return this.#thread.call(method, args) as ReturnType<RetentionRecords[M]>;
  }
}
