// What in an `npm audit --json` report (auditReportVersion 2) stops CI: every advisory at or above
// the severity set, on a production dependency, that the allow-list does not excuse. An excuse
// names the advisory (its URL), the package, why it does not apply here, and a date after which it
// must be looked at again: an expired excuse excuses nothing.

export const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'];

/**
 * @typedef {{ package: string, advisory: string, title: string, severity: string, range: string }} Finding
 * @typedef {{ advisory: string, package: string, reason: string, until: string }} Excuse
 */

/** Every advisory object under `via`, one per (package, advisory). */
export function findings(report) {
  if (!report || typeof report !== 'object' || typeof report.vulnerabilities !== 'object') {
    throw new Error('not an npm audit report (no "vulnerabilities" object)');
  }
  const seen = new Map();
  for (const [name, vulnerability] of Object.entries(report.vulnerabilities)) {
    for (const via of vulnerability.via ?? []) {
      if (typeof via !== 'object' || via === null) continue; // a pointer to another package
      const finding = {
        package: via.dependency ?? via.name ?? name,
        advisory: String(via.url ?? via.source),
        title: String(via.title ?? ''),
        severity: String(via.severity ?? vulnerability.severity),
        range: String(via.range ?? ''),
      };
      seen.set(`${finding.package} ${finding.advisory}`, finding);
    }
  }
  return [...seen.values()];
}

/** Checks an allow-list's shape; returns the problems, each naming the entry. */
export function allowListProblems(list) {
  if (!Array.isArray(list)) return ['the allow-list must be a JSON array'];
  const problems = [];
  list.forEach((entry, i) => {
    for (const key of ['advisory', 'package', 'reason', 'until']) {
      if (typeof entry?.[key] !== 'string' || entry[key].trim() === '') {
        problems.push(`entry ${i + 1}: "${key}" must be a non-empty string`);
      }
    }
    if (typeof entry?.until === 'string' && Number.isNaN(Date.parse(entry.until))) {
      problems.push(`entry ${i + 1}: "until" is not a date: ${entry.until}`);
    }
  });
  return problems;
}

/** The findings at or above `level` that no unexpired excuse covers, and the excuses that expired. */
export function blocking(report, allowList, level, today) {
  const floor = SEVERITIES.indexOf(level);
  if (floor < 0) throw new Error(`unknown severity ${level}; one of ${SEVERITIES.join(', ')}`);
  const current = allowList.filter((e) => Date.parse(e.until) >= today.getTime());
  const expired = allowList.filter((e) => Date.parse(e.until) < today.getTime());
  const excused = (f) => current.some((e) => e.advisory === f.advisory && e.package === f.package);
  const blocked = findings(report).filter(
    (f) => SEVERITIES.indexOf(f.severity) >= floor && !excused(f),
  );
  return { blocked, expired };
}

/** npm could not audit at all (no advisory endpoint, offline): why, or undefined. */
export function auditUnavailable(report) {
  if (!report || typeof report !== 'object' || report.vulnerabilities) return undefined;
  const e = report.error;
  const parts = [
    report.message,
    typeof e === 'object' && e !== null ? e.summary || e.code || e.detail : e,
  ].filter((p) => typeof p === 'string' && p !== '');
  return parts.length > 0 ? parts.join(': ') : 'npm audit answered without a report';
}
