import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest, apiToken } from '../../../test-support/api-client.js';
import { TestDevice } from '../../../test-support/entity-events.js';
import { MemoryAuditLog } from '../../../test-support/memory-audit-log.js';
import { fleetDataDir, runCli, startTestPlatform } from '../../../test-support/platform.js';
import { storedEvent as stored } from '../../../test-support/stored-events.js';

// The ops console on a real platform; carts are projected and telemetry appended directly.
describe('HTTP API: ops console', () => {
  it('lists carts of every store filtered by store, region, firmware and battery, paged', async (t) => {
    const data = await fleetDataDir(t);
    await runCli(
      'store',
      'add',
      '--data',
      data,
      '--id',
      'nyc-1',
      '--name',
      'NYC 1',
      '--region',
      'us',
    );
    const platform = await startTestPlatform(t, data);
    const health = (id: string, store: string, pct: number, firmware: string, charging = false) =>
      new TestDevice(id, store).event('health', {
        battery_pct: pct,
        firmware_version: firmware,
        charging,
      });
    await platform.entities.project([
      health('CART-0701', 'berlin-1', 15, '2.4.1'),
      health('CART-0702', 'berlin-1', 80, '2.5.0'),
      health('CART-0703', 'nyc-1', 5, '2.5.0'),
      health('CART-0704', 'nyc-1', 60, '2.5.0', true),
    ]);
    const ops = await apiToken(platform, 'ops');
    const list = async (query: string) => {
      const got = await apiRequest(platform, 'GET', `/v1/carts${query}`, { token: ops });
      assert.equal(got.status, 200, JSON.stringify(got.body));
      return got.body as { carts: Record<string, unknown>[]; next: string | null };
    };
    const ids = async (query: string) => (await list(query)).carts.map((c) => c['deviceId']);

    const all = await list('');
    assert.deepEqual(
      all.carts.map((c) => [c['deviceId'], c['storeId'], c['region'], c['batteryHealth']]),
      [
        ['CART-0701', 'berlin-1', 'eu', 'low'],
        ['CART-0702', 'berlin-1', 'eu', 'good'],
        ['CART-0703', 'nyc-1', 'us', 'critical'],
        ['CART-0704', 'nyc-1', 'us', 'charging'],
      ],
    );
    assert.equal(all.carts[0]!['firmwareVersion'], '2.4.1');
    assert.deepEqual(await ids('?store=nyc-1'), ['CART-0703', 'CART-0704']);
    assert.deepEqual(await ids('?region=eu'), ['CART-0701', 'CART-0702']);
    assert.deepEqual(await ids('?firmware=2.5.0&region=us'), ['CART-0703', 'CART-0704']);
    assert.deepEqual(await ids('?battery_below=20'), ['CART-0701', 'CART-0703']);

    const first = await list('?limit=3');
    assert.equal(first.carts.length, 3);
    assert.deepEqual(await ids(`?limit=3&after=${first.next}`), ['CART-0704']);
    assert.equal((await list(`?limit=3&after=${first.next}`)).next, null);

    const staff = await apiToken(platform, 'staff', 'berlin-1');
    assert.equal((await apiRequest(platform, 'GET', '/v1/carts', { token: staff })).status, 403);
    for (const query of [
      '?battery_below=150',
      '?firmware=latest',
      '?limit=0',
      '?colour=red',
      '?after=JCQk',
    ]) {
      const bad = await apiRequest(platform, 'GET', `/v1/carts${query}`, { token: ops });
      assert.equal(bad.status, 400, query);
      assert.equal(bad.body['error'], 'bad-request');
    }
  });

  it("merges a cart's audit records with its faults and command responses, newest first, paged", async (t) => {
    const data = await fleetDataDir(t);
    // An hour ago: inside the compliance report's 30 days whenever the test runs.
    const base = Date.now() - 3_600_000;
    let clock = base;
    const audit = new MemoryAuditLog(() => new Date(clock));
    const platform = await startTestPlatform(
      t,
      data,
      {},
      { openAudit: () => Promise.resolve(audit) },
    );
    await platform.entities.project([new TestDevice('CART-0801', 'berlin-1').event('health')]);
    const at = (minutes: number) => base + minutes * 60_000;
    await platform.telemetry.append([
      stored('CART-0801', 'berlin-1', 10, at(1), 'fault', {
        code: 'scanner-jam',
        severity: 'warning',
      }),
      stored('CART-0801', 'berlin-1', 11, at(3), 'command-response', {
        command_id: '2b1f3c1e-8a4e-4d5b-9c7a-0e2f6a1b3c4d',
        status: 'succeeded',
        duplicate: false,
      }),
      stored('CART-0801', 'berlin-1', 12, at(4)),
    ]);
    const entry = (purpose: string) => ({
      actor: { role: 'staff', subject: 'anna' },
      action: 'staff-override' as const,
      purpose,
      deviceId: 'CART-0801',
      storeId: 'berlin-1',
    });
    clock = at(2);
    await audit.append(entry('take cart out of service'));
    clock = at(5);
    await audit.append(entry('return cart to service'));
    await audit.append({ ...entry('other cart'), deviceId: 'CART-0899' });

    const ops = await apiToken(platform, 'ops');
    const seen: string[] = [];
    let path = '/v1/carts/CART-0801/audit?limit=3';
    for (let pages = 0; pages < 5; pages++) {
      const page = await apiRequest(platform, 'GET', path, { token: ops });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      assert.equal(page.body['auditConfigured'], true);
      for (const e of page.body['entries'] as Record<string, unknown>[]) {
        seen.push(`${String(e['source'])}:${String(e['action'])}`);
      }
      if (page.body['next'] === null) break;
      path = `/v1/carts/CART-0801/audit?limit=3&after=${String(page.body['next'])}`;
    }
    assert.deepEqual(seen, [
      'audit:staff-override',
      'command-response:succeeded',
      'audit:staff-override',
      'fault:scanner-jam',
    ]);
    const staff = await apiToken(platform, 'staff', 'berlin-1');
    const refused = await apiRequest(platform, 'GET', '/v1/carts/CART-0801/audit', {
      token: staff,
    });
    assert.equal(refused.status, 403);
    assert.equal(
      (await apiRequest(platform, 'GET', '/v1/carts/CART-0404/audit', { token: ops })).status,
      404,
    );
    const badCursor = await apiRequest(platform, 'GET', '/v1/carts/CART-0801/audit?after=bm9wZQ', {
      token: ops,
    });
    assert.equal(badCursor.status, 400);

    // The compliance report: access by action and purpose, the chain and its head.
    const report = await apiRequest(platform, 'GET', '/v1/compliance', { token: ops });
    assert.equal(report.status, 200, JSON.stringify(report.body));
    const access = report.body['piiAccess'] as Record<string, unknown>;
    assert.equal(access['total'], 3);
    assert.deepEqual(access['byAction'], { 'staff-override': 3 });
    const chain = report.body['auditChain'] as Record<string, unknown>;
    assert.equal(chain['ok'], true);
    assert.equal(chain['records'], 3);
    assert.equal(chain['headHash'], audit.records[2]!.hash);
    assert.equal(
      (report.body['dataSubjectRequests'] as Record<string, unknown>)['source'],
      'provider',
    );
    assert.deepEqual((report.body['dataSubjectRequests'] as Record<string, unknown>)['open'], []);
    (audit.records as { purpose: string }[])[1]!.purpose = 'edited later';
    const tampered = await apiRequest(platform, 'GET', '/v1/compliance', { token: ops });
    assert.equal((tampered.body['auditChain'] as Record<string, unknown>)['ok'], false);
    assert.equal((tampered.body['auditChain'] as Record<string, unknown>)['brokenAt'], 2);
    assert.equal(
      (await apiRequest(platform, 'GET', '/v1/compliance', { token: staff })).status,
      403,
    );
  });
});
