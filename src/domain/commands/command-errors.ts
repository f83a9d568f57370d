import { Failure } from '../../shared/failure.js';

/** Every expected failure of the command ledger, in one closed set; the API maps each to a status. */
export type CommandErrorCode =
  /** 404: no such device. */
  | 'unknown-device'
  /** 404: no such command. */
  | 'unknown-command'
  /** 400: a name the ledger does not send (attach-customer carries personal data). */
  | 'command-not-allowed'
  /** 400: arguments this command does not take, or lacks. */
  | 'bad-command-args'
  /** 409: the device answered (or still may); sending the same id again would change nothing. */
  | 'not-retryable'
  /** 503: the broker did not take the command; it stays in the ledger and times out. */
  | 'publish-failed';

export class CommandFailure extends Failure<CommandErrorCode> {}
