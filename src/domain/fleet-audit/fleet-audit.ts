import { createHash } from 'node:crypto';
import type { DeviceRecord } from '../../edge/identity/index.js';
import type { RefusalSummary } from '../../edge/broker/refusal-tally.js';

/** The checks of the fleet security audit (decision 047), a closed list. */
export const AUDIT_CHECKS = [
  'certificate-expiring',
  'certificate-expired',
  'shared-key',
  'shared-certificate',
  'never-connected',
  'revoked-still-attempting',
  'auth-failure-spike',
  'ca-generation-trusted',
  'ca-rotate-soon',
] as const;
export type AuditCheck = (typeof AUDIT_CHECKS)[number];

/** `action`: someone must do something (the CLI exits 1); `notice`: worth a look. */
export type AuditSeverity = 'action' | 'notice';

export interface AuditFinding {
  readonly check: AuditCheck;
  readonly severity: AuditSeverity;
  /** What it is about: a device id, a store id, `generation N`, or a key's fingerprint. */
  readonly subject: string;
  readonly storeId: string | null;
  readonly detail: string;
  /** Devices involved, when there are several (a shared key). */
  readonly devices?: readonly string[];
}

export interface AuditedGeneration {
  readonly generation: number;
  readonly issues: boolean;
  readonly trusted: boolean;
  readonly trustedUntil: Date;
  readonly rotateSoon: boolean;
  readonly issuingNotAfter: Date;
}

export interface AuditInput {
  readonly now: Date;
  readonly devices: readonly DeviceRecord[];
  /** When each device was last seen (connected or sent anything); absent: never. */
  readonly lastSeen: ReadonlyMap<string, string>;
  readonly connected: ReadonlySet<string>;
  readonly refusals: readonly RefusalSummary[];
  /** Over how long `refusals[].recent` reaches back. */
  readonly refusalWindowMs: number;
  readonly generations: readonly AuditedGeneration[];
  /** Since when refusals have been counted (the tally is in memory: the process start). */
  readonly refusalsSince: Date;
}

export interface AuditOptions {
  readonly expiringWithinDays: number;
  /** Registered this long ago and never seen: listed. */
  readonly neverConnectedAfterHours: number;
  /** Refusals within the window, per store, that make a spike. */
  readonly spikeRefusals: number;
}

export const DEFAULT_AUDIT_OPTIONS: AuditOptions = {
  expiringWithinDays: 30,
  neverConnectedAfterHours: 24,
  spikeRefusals: 20,
};

export interface AuditReport {
  readonly asOf: string;
  readonly options: AuditOptions;
  readonly devicesAudited: number;
  readonly refusalsSince: string;
  readonly needsAction: boolean;
  readonly counts: Readonly<Record<AuditCheck, number>>;
  readonly findings: readonly AuditFinding[];
}

/** How a platform runs the audit over its own engines (src/platform/fleet-audit-wiring.ts). */
export type RunFleetAudit = (options?: Partial<AuditOptions>) => Promise<AuditReport>;

const DAY_MS = 86_400_000;
/** A store for refusals whose certificate names no registered device. */
export const UNKNOWN_STORE = '(unknown)';

/** Audits the fleet's identities as AWS IoT Device Defender audits do, from facts in hand. */
export function auditFleet(
  input: AuditInput,
  options: AuditOptions = DEFAULT_AUDIT_OPTIONS,
): AuditReport {
  const findings = [
    ...certificateFindings(input, options),
    ...sharedFindings(input.devices),
    ...neverConnected(input, options),
    ...refusalFindings(input, options),
    ...generationFindings(input),
  ];
  const counts = Object.fromEntries(AUDIT_CHECKS.map((c) => [c, 0])) as Record<AuditCheck, number>;
  for (const f of findings) counts[f.check] += 1;
  return {
    asOf: input.now.toISOString(),
    options,
    devicesAudited: input.devices.length,
    refusalsSince: input.refusalsSince.toISOString(),
    needsAction: findings.some((f) => f.severity === 'action'),
    counts,
    findings,
  };
}

function certificateFindings(input: AuditInput, options: AuditOptions): AuditFinding[] {
  const now = input.now.getTime();
  const soon = now + options.expiringWithinDays * DAY_MS;
  const out: AuditFinding[] = [];
  for (const d of input.devices) {
    if (d.status !== 'active') continue;
    const end = Date.parse(d.certificate.not_after);
    const base = { severity: 'action' as const, subject: d.serial, storeId: d.store };
    if (end <= now) {
      out.push({
        ...base,
        check: 'certificate-expired',
        detail: `certificate expired ${d.certificate.not_after}: the device can no longer connect; renew it`,
      });
    } else if (end <= soon) {
      const days = Math.ceil((end - now) / DAY_MS);
      out.push({
        ...base,
        check: 'certificate-expiring',
        detail: `certificate expires ${d.certificate.not_after} (in ${days} d); renew it`,
      });
    }
  }
  return out;
}

function sharedFindings(devices: readonly DeviceRecord[]): AuditFinding[] {
  const byKey = new Map<string, Set<string>>();
  const byCert = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, k: string, serial: string) =>
    map.set(k, (map.get(k) ?? new Set()).add(serial));
  for (const d of devices) {
    for (const c of [d.certificate, ...d.previous_certificates]) {
      add(byKey, c.public_key, d.serial);
      add(byCert, c.fingerprint256, d.serial);
    }
  }
  const store = new Map<string, string>(devices.map((d) => [d.serial, d.store]));
  const out: AuditFinding[] = [];
  const report = (
    map: Map<string, Set<string>>,
    check: 'shared-key' | 'shared-certificate',
    what: string,
  ) => {
    for (const [k, serials] of map) {
      if (serials.size < 2) continue;
      const list = [...serials].sort();
      out.push({
        check,
        severity: 'action',
        subject:
          check === 'shared-key'
            ? `key sha256:${createHash('sha256').update(k).digest('hex').slice(0, 16)}`
            : `certificate ${k.slice(0, 23)}`,
        storeId: store.get(list[0]!) ?? null,
        devices: list,
        detail: `${list.length} devices share one ${what} (${list.join(', ')}): one identity is cloned; revoke and re-provision them`,
      });
    }
  };
  report(byKey, 'shared-key', 'key pair');
  report(byCert, 'shared-certificate', 'certificate');
  return out;
}

function neverConnected(input: AuditInput, options: AuditOptions): AuditFinding[] {
  const cutoff = input.now.getTime() - options.neverConnectedAfterHours * 3_600_000;
  return input.devices
    .filter(
      (d) =>
        d.status === 'active' &&
        Date.parse(d.registered_at) <= cutoff &&
        !input.lastSeen.has(d.serial) &&
        !input.connected.has(d.serial),
    )
    .map((d) => ({
      check: 'never-connected' as const,
      severity: 'notice' as const,
      subject: d.serial,
      storeId: d.store,
      detail: `registered ${d.registered_at} and never connected: still in its box, or lost before install`,
    }));
}

function refusalFindings(input: AuditInput, options: AuditOptions): AuditFinding[] {
  const devices = new Map(input.devices.map((d) => [d.serial as string, d]));
  const out: AuditFinding[] = [];
  const perStore = new Map<string, number>();
  for (const r of input.refusals) {
    const device = r.deviceId === undefined ? undefined : devices.get(r.deviceId);
    const storeId = device?.store ?? UNKNOWN_STORE;
    perStore.set(storeId, (perStore.get(storeId) ?? 0) + r.recent.length);
    if (device?.status !== 'revoked' || device.revoked_at === undefined) continue;
    if (r.lastAt < Date.parse(device.revoked_at)) continue;
    out.push({
      check: 'revoked-still-attempting',
      severity: 'action',
      subject: device.serial,
      storeId: device.store,
      detail: `revoked ${device.revoked_at} (${device.revocation_reason ?? 'no reason'}) and still trying: ${r.count} refused, last ${new Date(r.lastAt).toISOString()}; find the device or whoever holds its key`,
    });
  }
  const minutes = Math.round(input.refusalWindowMs / 60_000);
  for (const [storeId, recent] of [...perStore].sort(([a], [b]) => a.localeCompare(b))) {
    if (recent < options.spikeRefusals) continue;
    out.push({
      check: 'auth-failure-spike',
      severity: 'action',
      subject: storeId,
      storeId: storeId === UNKNOWN_STORE ? null : storeId,
      detail: `${recent} refused handshakes or admissions in the last ${minutes} min (threshold ${options.spikeRefusals})`,
    });
  }
  return out;
}

function generationFindings(input: AuditInput): AuditFinding[] {
  const onGeneration = new Map<number, number>();
  for (const d of input.devices) {
    if (d.status !== 'active') continue;
    const g = d.certificate.generation;
    onGeneration.set(g, (onGeneration.get(g) ?? 0) + 1);
  }
  const out: AuditFinding[] = [];
  for (const g of input.generations) {
    const subject = `generation ${g.generation}`;
    if (g.rotateSoon) {
      out.push({
        check: 'ca-rotate-soon',
        severity: 'action',
        subject,
        storeId: null,
        detail: `the issuing CA ends ${g.issuingNotAfter.toISOString()}: certificates issued now are short; rotate the CA`,
      });
    }
    if (g.issues || !g.trusted) continue;
    const n = onGeneration.get(g.generation) ?? 0;
    out.push({
      check: 'ca-generation-trusted',
      severity: n === 0 ? 'action' : 'notice',
      subject,
      storeId: null,
      detail:
        n === 0
          ? `still trusted until ${g.trustedUntil.toISOString()} though no active device holds a certificate from it: end its trust`
          : `still trusted until ${g.trustedUntil.toISOString()}: ${n} active devices hold certificates from it; renew them before then`,
    });
  }
  return out;
}
