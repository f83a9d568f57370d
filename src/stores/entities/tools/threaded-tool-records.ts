import type { ThreadClient } from '../../../shared/threads/thread-client.js';
import { ThreadedColdChainRecords } from '../coldchain/threaded-coldchain-records.js';
import type { ToolRecords } from './tool-records.js';

type Method = keyof ToolRecords;

/**
 * ToolRecords across the thread boundary: each call goes to the worker's SqlEntityStore, which
 * has these methods by inheritance. ThreadedEntityStore inherits this half.
 */
export class ThreadedToolRecords extends ThreadedColdChainRecords implements ToolRecords {
  constructor(thread: ThreadClient) {
    super(thread);
  }

  recordToolReports(...a: Parameters<ToolRecords['recordToolReports']>) {
    return this.#call<'recordToolReports'>('recordToolReports', a);
  }
  assignTool(...a: Parameters<ToolRecords['assignTool']>) {
    return this.#call<'assignTool'>('assignTool', a);
  }
  getTool(...a: Parameters<ToolRecords['getTool']>) {
    return this.#call<'getTool'>('getTool', a);
  }
  listTools(...a: Parameters<ToolRecords['listTools']>) {
    return this.#call<'listTools'>('listTools', a);
  }
  serviceTool(...a: Parameters<ToolRecords['serviceTool']>) {
    return this.#call<'serviceTool'>('serviceTool', a);
  }
  listToolServices(...a: Parameters<ToolRecords['listToolServices']>) {
    return this.#call<'listToolServices'>('listToolServices', a);
  }
  expireToolReports(...a: Parameters<ToolRecords['expireToolReports']>) {
    return this.#call<'expireToolReports'>('expireToolReports', a);
  }

  #call<M extends Method>(method: M, args: readonly unknown[]): ReturnType<ToolRecords[M]> {
    return this.thread.call(method, args) as ReturnType<ToolRecords[M]>;
  }
}
