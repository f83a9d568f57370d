/**
 * The API's answers as the pages read them: the response schemas of src/domain/staff, src/surfaces/api,
 * src/domain/fleet-ops, src/domain/ota/api, src/domain/commands and src/domain/shadow, written out for the browser (the page
 * never imports server code). Fields decision 023 adds (alert state) are optional here so the
 * pages work before and after.
 */

export interface Maintenance {
  readonly outOfService: boolean;
  readonly reason: 'cleaning' | 'charging' | 'repair' | null;
  readonly note: string | null;
  readonly setBy: string | null;
  readonly setAt: string | null;
  readonly reportedByCart: boolean;
}

export const MAINTENANCE_REASONS = ['cleaning', 'charging', 'repair'] as const;

export interface Cart {
  readonly deviceId: string;
  readonly storeId: string;
  readonly region: string | null;
  readonly state: string | null;
  readonly connected: boolean;
  readonly lastSeenAt: string | null;
  readonly batteryPct: number | null;
  readonly charging: boolean | null;
  readonly link: string | null;
  readonly rssiDbm: number | null;
  readonly firmwareVersion: string | null;
  readonly position: {
    readonly lat: number;
    readonly lon: number;
    readonly accuracyM: number | null;
    readonly at: string | null;
  } | null;
  readonly maintenance: Maintenance;
  readonly activeSessionId: string | null;
  readonly lastFault: {
    readonly code: string;
    readonly severity: string;
    readonly at: string;
  } | null;
  readonly batteryHealth?: string;
}

export interface FleetStatus {
  readonly storeId: string;
  readonly carts: number;
  readonly byState?: Record<string, number>;
  readonly connected?: number;
  readonly battery?: Record<string, number>;
  readonly firmware?: { readonly version: string | null; readonly carts: number }[];
  readonly weakSignal?: number;
  readonly maintenance?: { readonly total: number; readonly byReason: Record<string, number> };
}

export interface Session {
  readonly sessionId: string;
  readonly deviceId: string;
  readonly storeId: string;
  readonly accountId?: string | null;
  readonly status: string;
  readonly startedAt: string;
  readonly endedAt?: string | null;
  readonly scanCount?: number;
  readonly subtotalCents?: number;
  readonly scanMismatches?: number;
  readonly itemCount?: number | null;
  readonly totalCents?: number | null;
  readonly currency?: string | null;
  readonly payment?: { readonly status: string; readonly amountCents: number } | null;
  readonly mergedInto?: string | null;
  readonly mergedFrom: string[];
}

export interface Scan {
  readonly deviceId: string;
  readonly counter: number;
  readonly scanSeq: number;
  readonly action: 'add' | 'remove';
  readonly barcode: string;
  readonly sku: string | null;
  readonly quantity: number;
  readonly priceCents: number | null;
  readonly weightCheck: 'match' | 'mismatch' | 'not-checked';
  readonly scannedAt: string;
}

export type AlertState = 'open' | 'acknowledged' | 'resolved';

export interface Alert {
  readonly id: string;
  readonly storeId: string;
  readonly deviceId: string;
  readonly sessionId: string;
  readonly kind: string;
  readonly at: string;
  readonly evidence: Record<string, unknown>;
  readonly state?: AlertState;
  readonly acknowledgedBy?: string | null;
  readonly acknowledgedAt?: string | null;
  readonly resolvedBy?: string | null;
  readonly resolvedAt?: string | null;
}

export interface Command {
  readonly commandId: string;
  readonly deviceId: string;
  readonly name: string;
  readonly args?: Record<string, unknown>;
  readonly requestedBy?: string;
  readonly status: 'pending' | 'succeeded' | 'failed' | 'rejected';
  readonly code?: string | null;
  readonly duplicate?: boolean;
  readonly attempts: number;
  readonly sentAt?: string;
  readonly expiresAt: string;
  readonly respondedAt?: string | null;
  readonly responseMs?: number | null;
}

export interface Shadow {
  readonly deviceId: string;
  readonly desired: Record<string, unknown>;
  readonly desiredVersion: number;
  readonly reported: Record<string, unknown> | null;
  readonly reportedDesiredVersion?: number | null;
  readonly reportedAt?: string | null;
  readonly delta: Record<string, unknown>;
  readonly inSync: boolean;
}

export interface JobCounts {
  readonly devices: number;
  readonly pending: number;
  readonly sent: number;
  readonly onNewVersion: number;
  readonly rolledBack: number;
  readonly failed: number;
  readonly rejected: number;
  readonly timedOut: number;
}

export interface Rollout {
  readonly rolloutId: string;
  readonly state: 'running' | 'halted' | 'aborted' | 'completed';
  readonly deviceClass: string;
  readonly targetVersion: string;
  readonly imageId: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly stage: {
    readonly index: number;
    readonly name: string;
    readonly startedAt: string;
    readonly endsAt: string;
    readonly remainingMs: number;
  };
  readonly stages: (JobCounts & {
    readonly index: number;
    readonly name: string;
    readonly durationMs: number;
    readonly cohortSize: number;
  })[];
  readonly totals: JobCounts & {
    readonly onNewVersionPct: number;
    readonly rolledBackPct: number;
    readonly optedOut: number;
  };
  readonly haltReason: string | null;
  readonly history: {
    action: string;
    at: string;
    by: string;
    stageIndex: number;
    detail?: string;
  }[];
}

export interface TrailEntry {
  readonly at: string;
  readonly source: 'audit' | 'fault' | 'command-response';
  readonly ref: number;
  readonly actor: { readonly role: string; readonly subject: string } | null;
  readonly action: string;
  readonly purpose: string | null;
  readonly detail: Record<string, unknown>;
}

export interface DeadLetter {
  readonly id: number | string;
  readonly deviceId: string;
  readonly type: string;
  readonly counter: number;
  readonly error: string;
  readonly attempts: number;
  readonly firstFailedAt: string;
  readonly lastFailedAt: string;
}

export interface StoreInfo {
  readonly storeId: string;
  readonly name?: string | null;
  readonly region?: string | null;
}

/** GET /v1/stores: `{stores: [...]}`, each with storeId (or id) and maybe a name and region. */
export function readStores(body: unknown): StoreInfo[] {
  const list = (body as { stores?: unknown })?.stores;
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw): StoreInfo[] => {
    if (typeof raw === 'string') return [{ storeId: raw }];
    if (typeof raw !== 'object' || raw === null) return [];
    const s = raw as Record<string, unknown>;
    const id = s['storeId'] ?? s['store_id'] ?? s['id'];
    if (typeof id !== 'string') return [];
    return [
      {
        storeId: id,
        name: typeof s['name'] === 'string' ? s['name'] : null,
        region: typeof s['region'] === 'string' ? s['region'] : null,
      },
    ];
  });
}

/** GET /v1/integrations (decision 058): the document, secrets left out, and each one's standing. */
export interface IntegrationListing {
  readonly integrations: readonly {
    readonly id: string;
    readonly match: { readonly deviceClass?: readonly string[]; readonly type?: readonly string[] };
    readonly sink:
      | { readonly kind: 'webhook'; readonly url: string }
      | { readonly kind: 'jetstream'; readonly url: string; readonly subject: string };
    readonly enabled: boolean;
    readonly onRefused?: 'retry' | 'dead-letter';
  }[];
  readonly status: readonly {
    readonly id: string;
    readonly lag: number;
    readonly failing: boolean;
    readonly lastError: string | null;
    readonly delivered: number;
    readonly failed: number;
    readonly deadLetters: number;
  }[];
}

/** An event an integration parked because its receiver refused its content. */
export interface ParkedEvent {
  readonly seq: number;
  readonly deliveryId: string;
  readonly at: string;
  readonly status: number | null;
  readonly error: string;
  readonly refusals: number;
}
