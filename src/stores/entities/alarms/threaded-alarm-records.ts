import type { ThreadClient } from '../../../shared/threads/thread-client.js';
import type { SqlAlarmRecords } from './alarm-queries.js';
import type { AlarmRecords } from './alarm-records.js';

type Method = keyof AlarmRecords & keyof SqlAlarmRecords;

/** AlarmRecords across the thread boundary, inherited by ThreadedEntityStore's chain. */
export class ThreadedAlarmRecords implements AlarmRecords {
  constructor(protected readonly thread: ThreadClient) {}

  raiseAlarm(...a: Parameters<AlarmRecords['raiseAlarm']>) {
    return this.#call<'raiseAlarm'>('raiseAlarm', a);
  }
  clearAlarm(...a: Parameters<AlarmRecords['clearAlarm']>) {
    return this.#call<'clearAlarm'>('clearAlarm', a);
  }
  transitionAlarm(...a: Parameters<AlarmRecords['transitionAlarm']>) {
    return this.#call<'transitionAlarm'>('transitionAlarm', a);
  }
  listAlarms(...a: Parameters<AlarmRecords['listAlarms']>) {
    return this.#call<'listAlarms'>('listAlarms', a);
  }
  getAlarm(...a: Parameters<AlarmRecords['getAlarm']>) {
    return this.#call<'getAlarm'>('getAlarm', a);
  }
  openAlarmKeys(...a: Parameters<AlarmRecords['openAlarmKeys']>) {
    return this.#call<'openAlarmKeys'>('openAlarmKeys', a);
  }
  listRuleSets(...a: Parameters<AlarmRecords['listRuleSets']>) {
    return this.#call<'listRuleSets'>('listRuleSets', a);
  }
  putRuleSet(...a: Parameters<AlarmRecords['putRuleSet']>) {
    return this.#call<'putRuleSet'>('putRuleSet', a);
  }

  #call<M extends Method>(method: M, args: readonly unknown[]): ReturnType<AlarmRecords[M]> {
    return this.thread.call(method, args) as ReturnType<AlarmRecords[M]>;
  }
}
