import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest } from '../../../test-support/api-client.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { toIngestedEvent } from '../../pipeline/ingest/ingested-event.js';
import { ToolIngest } from './tool-ingest.js';
import type { ToolView } from './tool-models.js';

const TOOL = 'TOOL-0501';

describe('connected tools: usage, maintenance and job sites (embedded platform, mutual TLS)', () => {
  it('accumulates usage once under replay, crosses maintenance due, and a service resets it', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, TOOL, 'tool');
    const platform = await startTestPlatform(t, data);
    const tool = await connectDevice(t, platform.mqttUrl, dir);
    await eventually(async () => platform.entities.getDevice(TOOL), 'the tool registered');

    const assigned = await apiRequest(platform, 'POST', `/v1/tools/${TOOL}/assign`, {
      body: { job_site_id: 'SITE-118', model: 'heavy' },
    });
    assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
    assert.equal(assigned.body['shadowPending'], false);
    const shadow = await apiRequest(platform, 'GET', `/v1/devices/${TOOL}/shadow`);
    assert.equal((shadow.body['desired'] as Record<string, unknown>)['job_site_id'], 'SITE-118');
    const interval = (assigned.body['tool'] as ToolView).interval;
    assert.equal(interval.usageMinutes, 3000);

    const start = Date.now() - 60 * 60_000;
    let counter = 0;
    const report = (minutes: number, extra: Record<string, unknown> = {}) =>
      tool.send(
        message('tool-telemetry', TOOL, ++counter, {
          ts: new Date(start + counter * 60_000).toISOString(),
          usage_minutes: minutes,
          cycles: 40,
          battery_pct: 90 - counter,
          ...extra,
        }),
      );
    const read = async () => {
      const { body } = await apiRequest(platform, 'GET', `/v1/tools/${TOOL}`);
      return body as { tool: ToolView; services: { servicedBy: string; usageMinutes: number }[] };
    };
    await report(1000);
    await report(1000, { error_code: 'E_MOTOR_HOT' });
    const before = await eventually(async () => {
      const { tool: v } = await read();
      return v.reports === 2 ? v : undefined;
    }, 'two reports counted');
    assert.deepEqual([before.usageMinutes, before.maintenanceDue], [2000, false]);
    await report(1000);
    const due = await eventually(async () => {
      const { tool: v } = await read();
      return v.reports === 3 ? v : undefined;
    }, 'three reports counted');
    assert.deepEqual(
      [due.usageMinutes, due.cycles, due.maintenanceDue, due.dueReasons],
      [3000, 120, true, ['usage']],
    );

    // Replayed: the device sends the same counters again, and the stored events are applied a
    // second time as after a crash or a dead-letter replay. Usage does not move.
    counter = 0;
    await report(1000);
    await report(1000, { error_code: 'E_MOTOR_HOT' });
    const stored = await platform.telemetry.latestForDevice(TOOL, { limit: 10 });
    const again = new ToolIngest({ records: platform.entities, ttlMs: 86_400_000 });
    await again.applied(stored.map(toIngestedEvent));
    counter = 3;
    const replayed = (await read()).tool;
    assert.deepEqual([replayed.usageMinutes, replayed.reports, replayed.errors], [3000, 3, 1]);

    const sites = await apiRequest(platform, 'GET', '/v1/job-sites');
    assert.deepEqual(sites.body['jobSites'], [
      {
        jobSiteId: 'SITE-118',
        tools: 1,
        maintenanceDue: 1,
        withErrors: 1,
        errors: 1,
        usageMinutes: 3000,
        lowestBatteryPct: 87,
      },
    ]);
    const atSite = await apiRequest(platform, 'GET', '/v1/job-sites/SITE-118/tools');
    assert.deepEqual(
      (atSite.body['tools'] as ToolView[]).map((v) => [
        v.deviceId,
        v.maintenanceDue,
        v.lastErrorCode,
      ]),
      [[TOOL, true, 'E_MOTOR_HOT']],
    );

    const serviced = await apiRequest(platform, 'POST', `/v1/tools/${TOOL}/service`, {
      body: { note: 'brushes and gearbox' },
    });
    assert.equal(serviced.status, 200, JSON.stringify(serviced.body));
    const reset = serviced.body['tool'] as ToolView;
    assert.deepEqual(
      [reset.minutesSinceService, reset.maintenanceDue, reset.usageMinutes],
      [0, false, 3000],
    );
    const audited = await platform.customers.audit.query({ deviceId: TOOL });
    assert.deepEqual(
      audited.map((r) => [r.action, r.detail?.['usage_minutes']]),
      [['tool-service', 3000]],
    );

    // Used after the service (by its own clock): counts toward the next one.
    await report(30, { ts: new Date(Date.now() + 1000).toISOString() });
    const after = await eventually(async () => {
      const body = await read();
      return body.tool.reports === 4 ? body : undefined;
    }, 'a report after the service');
    assert.deepEqual([after.tool.usageMinutes, after.tool.minutesSinceService], [3030, 30]);
    assert.deepEqual(
      after.services.map((s) => s.usageMinutes),
      [3000],
    );
    assert.equal((await apiRequest(platform, 'GET', '/v1/tools/TOOL-NONE')).status, 404);
    const wrongModel = await apiRequest(platform, 'POST', `/v1/tools/${TOOL}/assign`, {
      body: { model: 'giant' },
    });
    assert.equal(wrongModel.status, 400);
  });
});
