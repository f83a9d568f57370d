import { Failure } from '../../shared/failure.js';

/** Every expected failure of the audit log, in one closed set. */
export type AuditErrorCode =
  /** The entry breaks the port's rules (unknown action, empty purpose, a non-finite number…). */
  | 'invalid-audit-entry'
  /** Neither or both of a directory and a URL, or a URL that is not postgres://. */
  | 'invalid-audit-target'
  /** The database could not be opened or reached. */
  | 'audit-log-unavailable'
  /** The log was written by a newer fleetplane whose schema this one does not know. */
  | 'audit-schema-newer';

export class AuditFailure extends Failure<AuditErrorCode> {}

export function auditFailure(code: AuditErrorCode, message: string, cause?: unknown): AuditFailure {
  return new AuditFailure(code, message, cause === undefined ? undefined : { cause });
}
