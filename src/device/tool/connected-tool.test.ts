import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { openCredential, toolOperatorAad, type ToolTelemetry } from '../../contract/index.js';
import { testDeviceParts, until } from '../../../test-support/test-device.js';
import { VirtualClock } from '../clock/virtual-clock.js';
import { mulberry32 } from '../random.js';
import { ConnectedTool } from './connected-tool.js';

const T0 = Date.parse('2026-07-01T07:00:00Z');
const MIN = 60_000;
const OPERATOR = 'EMP-7731-Schmidt';

async function tool(t: TestContext, options: { sealKey?: boolean } = {}) {
  const parts = await testDeviceParts(t, 'tool');
  parts.api.serveSealKey = options.sealKey ?? true;
  const clock = new VirtualClock(T0);
  const device = await ConnectedTool.create({
    credentials: parts.credentials,
    flashDir: parts.flashDir,
    clock,
    link: parts.broker.factory,
    deviceApi: parts.api,
    random: mulberry32(5),
    flashSync: false,
  });
  t.after(() => device.powerOff());
  return { ...parts, clock, device };
}

const reports = (s: { broker: { of(type: 'tool-telemetry'): ToolTelemetry[] } }) =>
  s.broker.of('tool-telemetry');

describe('connected tool', () => {
  it('reports the cycles and motor minutes of a working crew, on the job site the shadow assigns', async (t) => {
    const s = await tool(t);
    await s.device.powerOn();
    s.broker.sendDesired({
      schema_version: 1,
      device_id: 'TOOL-0001',
      type: 'shadow-desired',
      ts: new Date(T0).toISOString(),
      version: 1,
      desired: { job_site_id: 'SITE-HAFEN-3' },
    });
    s.device.usage.working = true;
    await s.clock.runUntil(T0 + 30 * MIN);
    s.device.usage.working = false;
    await s.clock.runUntil(T0 + 40 * MIN);
    await until(() => reports(s).length === 40, 'forty reports');
    const got = reports(s);
    const busy = got.slice(0, 30);
    const idle = got.slice(31);
    assert.ok(busy.reduce((n, r) => n + (r.cycles ?? 0), 0) > 20, 'trigger pulls counted');
    assert.ok(busy.some((r) => r.usage_minutes > 0 && r.rpm > 0 && r.mode !== 'idle'));
    assert.ok(idle.every((r) => r.cycles === 0 && r.mode === 'idle' && r.usage_minutes === 0));
    assert.ok(got.every((r) => r.job_site_id === 'SITE-HAFEN-3'));
    assert.ok(got.at(-1)!.battery_pct < 100, 'the pack drained with use');
    assert.equal(s.broker.of('shadow-report').at(-1)!.reported.job_site_id, 'SITE-HAFEN-3');
  });

  it('sends the badged operator only sealed, bound to this tool, never in the clear on the wire or in flash', async (t) => {
    const s = await tool(t);
    await s.device.powerOn();
    await s.device.tapBadge(OPERATOR);
    await s.clock.runUntil(T0 + 3 * MIN);
    await until(() => reports(s).length === 3, 'three reports');
    for (const r of reports(s)) {
      assert.ok(r.operator, 'the operator travels with each report');
      assert.equal(
        openCredential(s.api.privateKey, r.operator, toolOperatorAad('TOOL-0001')),
        OPERATOR,
      );
      // Copied onto another tool's report, it does not open.
      assert.equal(
        openCredential(s.api.privateKey, r.operator, toolOperatorAad('TOOL-0002')),
        undefined,
      );
    }
    const sealed = reports(s).map((r) => r.operator!.ct);
    assert.equal(new Set(sealed).size, sealed.length, 'sealed afresh each time');
    const wire = JSON.stringify(s.broker.received);
    assert.ok(!wire.includes(OPERATOR) && !wire.includes('7731'), 'not on the wire');
    await s.device.powerOff();
    const flash = await s.device.runtime.flash.dump();
    assert.ok(!flash.includes(OPERATOR) && !flash.includes('7731'), 'not in flash');
    assert.ok(flash.length > 0);
  });

  it('leaves the operator out when it has no seal key, and forgets the operator at a reset', async (t) => {
    const s = await tool(t, { sealKey: false });
    await s.device.powerOn();
    await s.device.tapBadge(OPERATOR);
    await s.clock.runUntil(T0 + 2 * MIN);
    await until(() => reports(s).length === 2, 'two reports');
    assert.ok(reports(s).every((r) => r.operator === undefined));
    s.api.serveSealKey = true;
    await s.device.tapBadge(OPERATOR);
    await s.clock.runUntil(T0 + 3 * MIN);
    await until(() => reports(s).length === 3, 'a third report');
    assert.ok(reports(s).at(-1)!.operator, 'sealed once the key came');
    await s.device.runtime.reboot('software');
    await s.clock.runUntil(T0 + 5 * MIN);
    await until(() => reports(s).length === 5, 'reports after the reset');
    assert.equal(reports(s).at(-1)!.operator, undefined, 'nobody badged in since the reset');
  });

  it('reports OVER_TEMP while the motor is too hot and clears it once it cooled', async (t) => {
    const s = await tool(t);
    await s.device.powerOn();
    s.device.usage.overheat();
    await s.clock.runUntil(T0 + MIN);
    await until(() => reports(s).length === 1, 'a report');
    assert.equal(reports(s)[0]!.error_code, 'OVER_TEMP');
    await s.clock.runUntil(T0 + 10 * MIN);
    await until(() => reports(s).length === 10, 'ten reports');
    assert.equal(reports(s).at(-1)!.error_code, undefined);
    assert.ok(reports(s).at(-1)!.motor_temp_c < 70);
  });
});
