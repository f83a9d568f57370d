/**
 * What the invariant check reads back from the platform, behind a port so the check can be
 * tested with an in-memory view and run against the ops API (http-platform-view.ts) or, in
 * tests, against the embedded platform's entity store.
 */
export interface PlatformSession {
  readonly sessionId: string;
  readonly deviceId: string;
  readonly storeId: string;
  readonly status: string;
  /** Device time of the session's first event, ISO 8601. */
  readonly startedAt: string;
  /** Scan events applied (adds and removes). */
  readonly scanCount: number;
  readonly payment: { readonly status: string; readonly amountCents: number } | null;
  /** Battery swap: the session this one was merged into, or null. Absent: not reported. */
  readonly mergedInto?: string | null;
}

export interface PlatformView {
  getSession(sessionId: string): Promise<PlatformSession | undefined>;
  /**
   * The store's sessions started between `since` and `until` (ms since the epoch, device time).
   * Absent when the platform cannot list a store's sessions: the double-counting check is then
   * reported as not done.
   */
  listStoreSessions?(storeId: string, since: number, until: number): AsyncIterable<PlatformSession>;
  /** Ids of the store's registered devices; absent when the view cannot tell. */
  listStoreDevices?(storeId: string): Promise<string[]>;
}
