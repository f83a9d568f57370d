import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hasBinary, needEngine } from '../../../test-support/engines.js';
import { message } from '../../../test-support/messages.js';
import { freePort } from '../../../test-support/mosquitto.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { writeObservabilityFiles } from './export-files.js';
import { exportedQueries } from './exported-queries.js';

interface RuleState {
  name: string;
  health: string;
  lastError?: string;
  lastEvaluation: string;
}

// Grafana fills these in before a query reaches Prometheus; the widest choice of each.
const GRAFANA_VARIABLES: Record<string, string> = {
  $__rate_interval: '1m',
  $store: '.*',
  $device_class: '.*',
  $rollout: '.*',
};

// The scrape configuration a user writes (the README's): HTTPS, trusting the fleet CA.
const config = (port: number, caFile: string) => `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - fleetplane-alerts.yml
scrape_configs:
  - job_name: fleetplane
    scheme: https
    tls_config:
      ca_file: ${JSON.stringify(caFile)}
    static_configs:
      - targets: ['localhost:${port}']
`;

describe('observability export under a real Prometheus', () => {
  it('scrapes the platform over HTTPS, evaluates every alert rule without error, and runs every dashboard query', async (t) => {
    if (!needEngine(t, hasBinary('prometheus', ['--version']), 'prometheus (Debian: prometheus)'))
      return;
    const data = await fleetDataDir(t);
    const deviceDir = await provisionDevice(data, 'CART-4001');
    const platform = await startTestPlatform(t, data);
    assert.ok(platform.apiTrust, 'the API is HTTPS with a fleet CA certificate');
    const cart = await connectDevice(t, platform.mqttUrl, deviceDir);
    for (let counter = 1; counter <= 3; counter++)
      await cart.send(message('health', 'CART-4001', counter, { session_id: undefined }));

    const dir = await tempDir(t, 'prometheus-');
    await writeObservabilityFiles(dir);
    const rulesDir = join(dir, 'prometheus');
    const apiPort = Number(new URL(platform.apiUrl).port);
    await writeFile(join(rulesDir, 'prometheus.yml'), config(apiPort, platform.apiTrust.file));
    const port = await freePort();
    const prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(rulesDir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    prometheus.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    const exited = new Promise((resolve) => prometheus.once('exit', resolve));
    t.after(async () => {
      prometheus.kill('SIGTERM');
      await exited;
    });
    const api = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/${path}`);
      return (await response.json()) as { status: string; error?: string; data: unknown };
    };

    // Up, with the platform's messages scraped, and every rule evaluated after that.
    try {
      await eventually(
        async () => {
          const got = await api('query?query=sum(fleetplane_ingest_stored_by_store_total)').catch(
            () => undefined,
          );
          const result = (got?.data as { result?: { value: [number, string] }[] })?.result;
          return result?.[0]?.value[1] === '3' ? true : undefined;
        },
        "Prometheus scraping the platform's three stored messages",
        30_000,
      );
    } catch (error) {
      throw new Error(`${String(error)}\nprometheus log: ${log}`);
    }
    const scrapedAt = Date.now();
    const rules = await eventually(
      async () => {
        const got = await api('rules');
        const groups = (got.data as { groups: { rules: RuleState[] }[] }).groups;
        const all = groups.flatMap((g) => g.rules);
        return all.length > 0 && all.every((r) => Date.parse(r.lastEvaluation) > scrapedAt)
          ? all
          : undefined;
      },
      'every rule evaluated after the scrape',
      30_000,
    );
    assert.equal(rules.length, 8);
    assert.deepEqual(
      rules.filter((r) => r.health !== 'ok' || r.lastError).map((r) => `${r.name}: ${r.lastError}`),
      [],
    );
    const up = await api('query?query=up{job="fleetplane"}');
    assert.match(JSON.stringify(up.data), /"value":\[[0-9.]+,"1"\]/, 'the platform target is up');

    // Panel queries as Grafana sends them, variables filled in: Prometheus parses and runs each.
    const failed: string[] = [];
    for (const q of exportedQueries().filter((q) => !q.variable)) {
      const expr = q.expr.replace(/\$[a-z_]+/g, (v) => GRAFANA_VARIABLES[v] ?? v);
      const got = await api(`query?query=${encodeURIComponent(expr)}`);
      if (got.status !== 'success') failed.push(`${q.where}: ${got.error}`);
    }
    assert.deepEqual(failed, []);
    const broken = await api(`query?query=${encodeURIComponent('sum by (store (x)')}`);
    assert.equal(broken.status, 'error', 'a query Prometheus cannot parse is reported');
    const stored = await api(
      `query?query=${encodeURIComponent('sum by (store) (fleetplane_broker_connected_devices_by_store)')}`,
    );
    assert.match(
      JSON.stringify(stored.data),
      /"store":"berlin-1"/,
      'the store variable has a value',
    );
  });
});
