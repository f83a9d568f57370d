import { Failure } from '../../shared/failure.js';

/** Why a backup or a restore stopped; the message says what to do about it. */
export type BackupErrorCode =
  | 'damaged-archive'
  | 'missing-set'
  | 'mismatched-sets'
  | 'target-not-empty'
  | 'platform-running'
  | 'platform-starting'
  | 'out-inside-data'
  | 'snapshot-failed';

export class BackupFailure extends Failure<BackupErrorCode> {}

export function backupFailure(
  code: BackupErrorCode,
  message: string,
  cause?: unknown,
): BackupFailure {
  return new BackupFailure(code, message, cause === undefined ? undefined : { cause });
}
