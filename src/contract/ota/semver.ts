/**
 * Orders firmware versions (SEMVER_PATTERN: major.minor.patch with an optional pre-release).
 * A pre-release sorts before its release; pre-release identifiers compare numerically when both
 * are numbers, as text otherwise, and a shorter list of equal identifiers sorts first.
 */
export function compareVersions(a: string, b: string): number {
  const [coreA, preA] = splitVersion(a);
  const [coreB, preB] = splitVersion(b);
  for (let i = 0; i < 3; i++) {
    const d = (coreA[i] ?? 0) - (coreB[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (preA === undefined || preB === undefined) {
    return preA === preB ? 0 : preA === undefined ? 1 : -1;
  }
  const idsA = preA.split('.');
  const idsB = preB.split('.');
  for (let i = 0; i < Math.min(idsA.length, idsB.length); i++) {
    const x = idsA[i]!;
    const y = idsB[i]!;
    if (x === y) continue;
    const nx = /^[0-9]+$/.test(x) ? Number(x) : undefined;
    const ny = /^[0-9]+$/.test(y) ? Number(y) : undefined;
    if (nx !== undefined && ny !== undefined) return Math.sign(nx - ny);
    if (nx !== undefined) return -1;
    if (ny !== undefined) return 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(idsA.length - idsB.length);
}

function splitVersion(v: string): [number[], string | undefined] {
  const dash = v.indexOf('-');
  const core = dash < 0 ? v : v.slice(0, dash);
  return [core.split('.').map(Number), dash < 0 ? undefined : v.slice(dash + 1)];
}
