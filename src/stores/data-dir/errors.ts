import { Failure } from '../../shared/failure.js';

/** Expected failures of the data directory: a file someone edited by hand, or one we cannot use. */
export type DataDirErrorCode = 'corrupt-file' | 'inaccessible-file' | 'platform-running';

export class DataDirFailure extends Failure<DataDirErrorCode> {}

/** Turns permission and not-a-directory errors into a sentence naming the path; rethrows bugs. */
export function explainFsError(error: unknown, path: string, doing: string): never {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'ENOTDIR' ||
    code === 'EISDIR' ||
    code === 'EROFS'
  ) {
    throw new DataDirFailure('inaccessible-file', `cannot ${doing} ${path} (${code})`, {
      cause: error,
    });
  }
  throw error;
}
