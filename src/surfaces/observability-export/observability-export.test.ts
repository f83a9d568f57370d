import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { FLEET_THRESHOLDS } from '../../domain/alarms/fleet-thresholds.js';
import { dashboardProblems } from './dashboard-check.js';
import { CHECKED_IN_DIR, observabilityFiles } from './export-files.js';
import { grafanaDashboards } from './grafana-dashboards.js';
import { DEFAULT_EXPORT_OPTIONS, prometheusRules, type RulesFile } from './prometheus-rules.js';

const root = new URL('../../../', import.meta.url).pathname;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('observability export (Prometheus rules, Grafana dashboards)', () => {
  it(`${CHECKED_IN_DIR}/ holds exactly what the generator writes (run \`fleetplane observability export --out ${CHECKED_IN_DIR}\` after a change)`, () => {
    const files = observabilityFiles();
    const dir = join(root, CHECKED_IN_DIR);
    const onDisk = filesUnder(dir)
      .map((f) => relative(dir, f))
      .filter((f) => f.endsWith('.yml') || f.endsWith('.json'));
    assert.deepEqual(onDisk.sort(), [...files.keys()].sort());
    for (const [path, content] of files)
      assert.equal(
        readFileSync(join(dir, path), 'utf8'),
        content,
        `${CHECKED_IN_DIR}/${path} is stale`,
      );
  });

  it('writes a rules file that reads back as the rules, with the thresholds of fleet-thresholds.ts', () => {
    const yaml = observabilityFiles().get('prometheus/fleetplane-alerts.yml')!;
    assert.deepEqual(parse(yaml), JSON.parse(JSON.stringify(prometheusRules())));
    const names = prometheusRules().groups.flatMap((g) => g.rules.map((r) => r.alert));
    assert.equal(new Set(names).size, names.length, 'alert names are unique');
    const stricter = prometheusRules({
      ...DEFAULT_EXPORT_OPTIONS,
      thresholds: { ...FLEET_THRESHOLDS, rejectRatio: 0.125, ingestP99Seconds: 7 },
    });
    const expr = (rules: RulesFile, alert: string) =>
      rules.groups[0]!.rules.find((r) => r.alert === alert)!.expr;
    assert.match(expr(stricter, 'FleetplaneRejectRateHigh'), / > 0\.125 and /);
    assert.match(expr(stricter, 'FleetplaneIngestLatencyHigh'), /\) > 7$/);
  });

  it('puts the scrape job given with --job into the platform-down alert and dashboard', () => {
    const options = { ...DEFAULT_EXPORT_OPTIONS, job: 'fleet-eu' };
    const down = prometheusRules(options).groups[0]!.rules.find(
      (r) => r.alert === 'FleetplanePlatformDown',
    );
    assert.equal(down?.expr, 'up{job="fleet-eu"} == 0');
    assert.match(
      JSON.stringify(grafanaDashboards(options)['fleet-health']),
      /up\{job=\\"fleet-eu\\"\}/,
    );
  });

  for (const [name, model] of Object.entries(grafanaDashboards())) {
    it(`dashboard ${name}: valid against the dashboard schema, unique panel ids, no overlapping panels`, () => {
      assert.deepEqual(dashboardProblems(model), []);
      const m = model as { schemaVersion: number; templating: { list: { name: string }[] } };
      assert.equal(m.schemaVersion, 39);
      const variables = m.templating.list.map((v) => v.name);
      assert.ok(variables.includes('DS_PROMETHEUS') && variables.includes('device_class'), name);
    });
  }

  it('each dashboard has its own uid', () => {
    const uids = Object.values(grafanaDashboards()).map((d) => d['uid']);
    assert.equal(new Set(uids).size, uids.length);
  });

  it('the dashboard check finds a repeated id, an overlap, a panel past the grid, an unknown variable and a missing field', () => {
    const model = grafanaDashboards()['ingest'] as { panels: Record<string, unknown>[] };
    const copy = () => structuredClone(model);
    const repeated = copy();
    repeated.panels[1]!['id'] = repeated.panels[0]!['id'];
    assert.match(dashboardProblems(repeated).join('\n'), /panel id 1 used twice/);
    const overlapping = copy();
    overlapping.panels[1]!['gridPos'] = { x: 6, y: 4, w: 12, h: 8 };
    assert.match(dashboardProblems(overlapping).join('\n'), /overlap/);
    const wide = copy();
    wide.panels.at(-1)!['gridPos'] = { x: 20, y: 40, w: 8, h: 8 };
    assert.match(dashboardProblems(wide).join('\n'), /past column 24/);
    const unknown = copy();
    (unknown.panels[0]!['targets'] as { expr: string }[])[0]!.expr = 'sum(x{site=~"$site"})';
    assert.match(dashboardProblems(unknown).join('\n'), /\$site, which is not defined/);
    const untitled = copy();
    delete untitled.panels[0]!['gridPos'];
    assert.match(dashboardProblems(untitled).join('\n'), /gridPos/);
  });
});
