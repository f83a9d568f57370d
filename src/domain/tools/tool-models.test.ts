import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolRecord } from '../../stores/entities/tools/tool-records.js';
import { jobSites, toolView, TOOL_MODELS } from './tool-models.js';

const base: ToolRecord = {
  deviceId: 'TOOL-1',
  model: 'standard',
  jobSiteId: 'SITE-A',
  usageMinutes: 0,
  cycles: 0,
  minutesSinceService: 0,
  cyclesSinceService: 0,
  servicedAt: null,
  services: 0,
  reports: 0,
  lastReportAt: null,
  batteryPct: 80,
  errors: 0,
  lastErrorCode: null,
  lastErrorAt: null,
};
const standard = TOOL_MODELS['standard']!;

describe('maintenance due', () => {
  it('is not due below both limits of the model', () => {
    const view = toolView({
      ...base,
      minutesSinceService: standard.usageMinutes - 1,
      cyclesSinceService: 10,
    });
    assert.equal(view.maintenanceDue, false);
    assert.deepEqual(view.dueReasons, []);
  });

  it('is due at the usage limit or the cycle limit, naming which', () => {
    assert.deepEqual(toolView({ ...base, minutesSinceService: standard.usageMinutes }).dueReasons, [
      'usage',
    ]);
    assert.deepEqual(toolView({ ...base, cyclesSinceService: standard.cycles + 1 }).dueReasons, [
      'cycles',
    ]);
  });

  it('counts usage since the last service, not the lifetime total', () => {
    const view = toolView({
      ...base,
      usageMinutes: 10 * standard.usageMinutes,
      minutesSinceService: 60,
    });
    assert.equal(view.maintenanceDue, false);
    assert.equal(view.serviceUsed, Math.round((60 / standard.usageMinutes) * 1000) / 1000);
  });

  it('takes the interval from the tool model: a heavy tool is due sooner', () => {
    const minutes = TOOL_MODELS['heavy']!.usageMinutes;
    assert.ok(minutes < standard.usageMinutes);
    assert.equal(
      toolView({ ...base, model: 'heavy', minutesSinceService: minutes }).maintenanceDue,
      true,
    );
    assert.equal(toolView({ ...base, minutesSinceService: minutes }).maintenanceDue, false);
  });

  it('sums a job site: tools, due, errors, lowest battery', () => {
    const sites = jobSites([
      toolView({ ...base, deviceId: 'T1', cyclesSinceService: standard.cycles, batteryPct: 40 }),
      toolView({ ...base, deviceId: 'T2', errors: 2, lastErrorCode: 'E_HOT', batteryPct: 12 }),
      toolView({ ...base, deviceId: 'T3', jobSiteId: null }),
    ]);
    assert.deepEqual(sites, [
      {
        jobSiteId: 'SITE-A',
        tools: 2,
        maintenanceDue: 1,
        withErrors: 1,
        errors: 2,
        usageMinutes: 0,
        lowestBatteryPct: 12,
      },
    ]);
  });
});
