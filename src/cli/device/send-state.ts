import { join } from 'node:path';
import { readJsonFile, writeJsonFileAtomic, corruptFile } from '../../stores/data-dir/index.js';

/**
 * What `device send` and `device sign` remember between runs in the device directory, as a
 * device keeps it in flash: the next message counter (the cloud deduplicates on device and
 * counter, so a counter is never used twice) and the open shopping session, so that a
 * session-start, its scans and its session-end share one session id.
 */
export interface SendState {
  readonly nextCounter: number;
  readonly session?: { readonly id: string; readonly scans: number };
}

export const SEND_STATE_FILE = 'send-state.json';

export async function readSendState(deviceDir: string): Promise<SendState> {
  const path = join(deviceDir, SEND_STATE_FILE);
  const raw = await readJsonFile(path);
  if (raw === undefined) return { nextCounter: 1 };
  const { next_counter, session } = raw as { next_counter?: unknown; session?: unknown };
  if (!Number.isSafeInteger(next_counter) || (next_counter as number) < 0)
    throw corruptFile(path, 'next_counter is not a whole number');
  const open = session as { id?: unknown; scans?: unknown } | undefined;
  return {
    nextCounter: next_counter as number,
    ...(open && typeof open.id === 'string' && Number.isSafeInteger(open.scans)
      ? { session: { id: open.id, scans: open.scans as number } }
      : {}),
  };
}

/** Written before the message leaves, so a crash between the two never reuses a counter. */
export function writeSendState(deviceDir: string, state: SendState): Promise<void> {
  return writeJsonFileAtomic(join(deviceDir, SEND_STATE_FILE), {
    next_counter: state.nextCounter,
    ...(state.session ? { session: state.session } : {}),
  });
}
