import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { T0 } from '../../../test-support/entity-events.js';
import type { EntityStore, ToolReport } from './entity-store.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

function report(counter: number, minute: number, fields: Partial<ToolReport> = {}): ToolReport {
  return {
    deviceId: 'TOOL-1',
    counter,
    reportedAt: T0 + minute * MIN,
    usageMinutes: 2,
    cycles: 5,
    batteryPct: 80 - minute,
    errorCode: null,
    expiresAt: T0 + minute * MIN + 90 * DAY,
    ...fields,
  };
}

/** Tool usage, services and job sites (entity-store.contract.ts runs these). */
export function toolContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it('counts each tool report once, whatever batch or order it comes in', async (t) => {
    const store = await open(t);
    if (!store) return;
    assert.equal(await store.recordToolReports([report(1, 1), report(2, 2), report(2, 2)]), 2);
    assert.equal(
      await store.recordToolReports([report(2, 2), report(4, 4, { errorCode: 'E_HOT' })]),
      1,
    );
    // A late report: counted, but the newer battery and error stay.
    assert.equal(await store.recordToolReports([report(3, 3, { errorCode: 'E_OLD' })]), 1);
    assert.equal(await store.recordToolReports([report(3, 3)]), 0);
    const tool = await store.getTool('TOOL-1');
    assert.deepEqual(
      [
        tool?.usageMinutes,
        tool?.cycles,
        tool?.reports,
        tool?.batteryPct,
        tool?.errors,
        tool?.lastErrorCode,
      ],
      [8, 20, 4, 76, 2, 'E_HOT'],
    );
    assert.equal(tool?.lastReportAt, new Date(T0 + 4 * MIN).toISOString());
    assert.equal(tool?.minutesSinceService, 8);
  });

  it('resets usage since service, keeps the service, and leaves out late reports from before it', async (t) => {
    const store = await open(t);
    if (!store) return;
    await store.recordToolReports([report(1, 1), report(2, 2)]);
    const done = await store.serviceTool('TOOL-1', {
      at: T0 + 10 * MIN,
      by: 'ops:ana',
      note: 'brushes',
    });
    assert.deepEqual(
      [
        done?.tool.minutesSinceService,
        done?.tool.cyclesSinceService,
        done?.tool.services,
        done?.tool.usageMinutes,
      ],
      [0, 0, 1, 4],
    );
    assert.deepEqual(
      [done?.service.usageMinutes, done?.service.cycles, done?.service.note],
      [4, 10, 'brushes'],
    );
    // One from before the service arrives late; one after it counts.
    await store.recordToolReports([report(3, 5), report(4, 12)]);
    const tool = await store.getTool('TOOL-1');
    assert.deepEqual(
      [tool?.usageMinutes, tool?.minutesSinceService, tool?.cyclesSinceService],
      [8, 2, 5],
    );
    assert.deepEqual(
      (await store.listToolServices('TOOL-1')).map((s) => s.servicedBy),
      ['ops:ana'],
    );
    assert.equal(await store.serviceTool('TOOL-9', { at: T0, by: 'x', note: null }), undefined);
  });

  it('assigns tools to job sites and lists them by site', async (t) => {
    const store = await open(t);
    if (!store) return;
    await store.assignTool('TOOL-2', { jobSiteId: 'SITE-A' });
    await store.assignTool('TOOL-1', { jobSiteId: 'SITE-A', model: 'heavy' });
    await store.assignTool('TOOL-3', { jobSiteId: 'SITE-B' });
    const moved = await store.assignTool('TOOL-3', { model: 'heavy' });
    assert.deepEqual([moved.jobSiteId, moved.model], ['SITE-B', 'heavy']);
    assert.deepEqual(
      (await store.listTools({ jobSiteId: 'SITE-A' })).map((x) => [x.deviceId, x.model]),
      [
        ['TOOL-1', 'heavy'],
        ['TOOL-2', 'standard'],
      ],
    );
    assert.equal((await store.assignTool('TOOL-2', { jobSiteId: null })).jobSiteId, null);
    assert.equal((await store.listTools({})).length, 3);
  });

  it('expires report dedup rows past their time', async (t) => {
    const store = await open(t);
    if (!store) return;
    await store.recordToolReports([report(1, 1), report(2, 2, { expiresAt: T0 + 200 * DAY })]);
    assert.equal(await store.expireToolReports(T0 + 91 * DAY), 1);
  });
}
