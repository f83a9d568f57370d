import type { ThreadClient } from '../../../shared/threads/thread-client.js';
import { ThreadedAlarmRecords } from '../alarms/threaded-alarm-records.js';
import type { SqlConsoleRecords } from './console-queries.js';
import type { ConsoleRecords } from './console-records.js';

type Method = keyof ConsoleRecords & keyof SqlConsoleRecords;

/**
 * ConsoleRecords across the thread boundary: each call goes to the worker's SqlEntityStore, which
 * has these methods by inheritance. ThreadedEntityStore inherits this half, as SqlEntityStore
 * inherits the SQL one.
 */
export class ThreadedConsoleRecords extends ThreadedAlarmRecords implements ConsoleRecords {
  constructor(thread: ThreadClient) {
    super(thread);
  }

  findPerson(...a: Parameters<ConsoleRecords['findPerson']>) {
    return this.#call<'findPerson'>('findPerson', a);
  }
  isLinkUsed(...a: Parameters<ConsoleRecords['isLinkUsed']>) {
    return this.#call<'isLinkUsed'>('isLinkUsed', a);
  }
  enrolPasskey(...a: Parameters<ConsoleRecords['enrolPasskey']>) {
    return this.#call<'enrolPasskey'>('enrolPasskey', a);
  }
  getPasskey(...a: Parameters<ConsoleRecords['getPasskey']>) {
    return this.#call<'getPasskey'>('getPasskey', a);
  }
  listPasskeys(...a: Parameters<ConsoleRecords['listPasskeys']>) {
    return this.#call<'listPasskeys'>('listPasskeys', a);
  }
  recordPasskeyUse(...a: Parameters<ConsoleRecords['recordPasskeyUse']>) {
    return this.#call<'recordPasskeyUse'>('recordPasskeyUse', a);
  }
  openConsoleSession(...a: Parameters<ConsoleRecords['openConsoleSession']>) {
    return this.#call<'openConsoleSession'>('openConsoleSession', a);
  }
  getConsoleSession(...a: Parameters<ConsoleRecords['getConsoleSession']>) {
    return this.#call<'getConsoleSession'>('getConsoleSession', a);
  }
  touchConsoleSession(...a: Parameters<ConsoleRecords['touchConsoleSession']>) {
    return this.#call<'touchConsoleSession'>('touchConsoleSession', a);
  }
  markConsoleSessionFresh(...a: Parameters<ConsoleRecords['markConsoleSessionFresh']>) {
    return this.#call<'markConsoleSessionFresh'>('markConsoleSessionFresh', a);
  }
  endConsoleSession(...a: Parameters<ConsoleRecords['endConsoleSession']>) {
    return this.#call<'endConsoleSession'>('endConsoleSession', a);
  }

  #call<M extends Method>(method: M, args: readonly unknown[]): ReturnType<ConsoleRecords[M]> {
    return this.thread.call(method, args) as ReturnType<ConsoleRecords[M]>;
  }
}
