import type { AuditReport } from '../../domain/fleet-audit/fleet-audit.js';
import { stringOption, UsageError, type Command } from '../command.js';
import { boundedInteger, printJson, printTable, query, wantsJson } from './output.js';
import { TARGET_DETAILS, TARGET_OPTIONS, TARGET_USAGE, openTarget } from './platform-target.js';

/** `fleetplane audit`: the fleet security audit of a running platform (decision 047). */
export function auditCommand(): Command {
  return {
    path: ['audit'],
    summary: 'Audit device identities; exit 1 when something needs action.',
    usage: `audit ${TARGET_USAGE} [--expiring-days N] [--never-connected-hours N] [--spike N]`,
    details: [
      'Checks: certificates expiring within --expiring-days (30) or expired; one key or',
      'certificate on two devices; devices registered --never-connected-hours (24) ago that never',
      'connected; revoked devices still trying; --spike (20) refused connections in a store within',
      'the last hour; CA generations still trusted; an issuing CA near its end. Refusals are',
      'counted since the platform started. Exit 0: nothing to act on (notices may be listed).',
      ...TARGET_DETAILS,
    ],
    options: {
      ...TARGET_OPTIONS,
      'expiring-days': { type: 'string' },
      'never-connected-hours': { type: 'string' },
      spike: { type: 'string' },
    },
    async run(values, io) {
      const params = {
        expiringWithinDays: boundedInteger(values, 'expiring-days', 3650),
        neverConnectedAfterHours: hours(stringOption(values, 'never-connected-hours')),
        spikeRefusals: boundedInteger(values, 'spike', 1_000_000),
      };
      const target = await openTarget(values);
      const report = (await target.request('GET', `/v1/audit${query(params)}`)) as AuditReport;
      if (wantsJson(values)) printJson(io, report);
      else {
        printTable(
          io,
          [
            { header: 'SEVERITY' },
            { header: 'CHECK' },
            { header: 'SUBJECT' },
            { header: 'STORE' },
            { header: 'DETAIL' },
          ],
          report.findings.map((f) => [f.severity, f.check, f.subject, f.storeId ?? '-', f.detail]),
          `No findings over ${report.devicesAudited} devices.`,
        );
        const actions = report.findings.filter((f) => f.severity === 'action').length;
        io.out(
          `${report.devicesAudited} devices audited; ${actions} to act on, ` +
            `${report.findings.length - actions} notices; refusals counted since ${report.refusalsSince}.`,
        );
      }
      return report.needsAction ? 1 : 0;
    },
  };
}

/** Whole hours, 0 allowed: "every device that never connected, however new". */
function hours(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^[0-9]{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(n <= 24 * 365)) {
    throw new UsageError(
      `--never-connected-hours must be a whole number from 0 to 8760, got '${text}'`,
    );
  }
  return n;
}
