import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import type {
  FleetTargets,
  RolloutJobRecord,
  RolloutRecord,
  RolloutRepository,
  StoreCalendar,
  VersionHealth,
} from './ports.js';

const T = Date.parse('2026-11-23T09:00:00.000Z');
const HOUR = 3_600_000;

export interface BootFacts {
  readonly version: string;
  readonly hardwareRev: string;
  readonly caGenerations: number[];
  readonly rolledBack?: boolean;
  readonly previousVersion?: string;
  readonly resetReason?: 'power-on' | 'watchdog' | 'panic' | 'brownout' | 'ota';
}

/** The stored ports of one adapter, and how the fleet reaches them (events, the registry). */
export interface PortsUnderTest {
  readonly repository: RolloutRepository;
  readonly targets: FleetTargets;
  readonly calendar: StoreCalendar;
  readonly health: VersionHealth;
  setTimezone(storeId: string, timezone: string | null): Promise<void>;
  boot(deviceId: string, storeId: string, boot: BootFacts, at: number): Promise<void>;
  fault(deviceId: string, storeId: string, at: number): Promise<void>;
}

export function rolloutRecord(overrides: Partial<RolloutRecord> = {}): RolloutRecord {
  return {
    rolloutId: randomUUID(),
    deviceClass: 'cart',
    targetVersion: '2.0.0',
    imageId: 'ab'.repeat(32),
    manifest: { signed: 'e30=', signature: `${'A'.repeat(86)}==` },
    caGeneration: 2,
    targets: { deviceClass: 'cart', storeIds: ['s1'] },
    stages: [{ name: 'all', cohort: { percent: 100 }, durationMs: HOUR }],
    canaryDeviceIds: [],
    haltThreshold: 1.5,
    windowMs: 1_800_000,
    minEvents: 3,
    significance: 0.001,
    jobTimeoutMs: HOUR,
    maxAttempts: 3,
    excluded: { hardware: 0, newer: 0 },
    state: 'running',
    stageIndex: 0,
    stageStartedAt: T,
    healthFrom: T,
    baseline: { events: 0, deviceHours: 0 },
    lastHealth: null,
    haltReason: null,
    haltedHealth: null,
    optOuts: [],
    history: [{ action: 'create', at: T, by: 'ops:test', stageIndex: 0 }],
    createdAt: T,
    createdBy: 'ops:test',
    updatedAt: T,
    ...overrides,
  };
}

function job(rollout: RolloutRecord, deviceId: string, ordinal: number): RolloutJobRecord {
  return {
    jobId: randomUUID(),
    rolloutId: rollout.rolloutId,
    deviceId,
    storeId: 's1',
    ordinal,
    state: 'pending',
    detail: null,
    attempts: 0,
    firstSentAt: null,
    lastSentAt: null,
    lastStatusAt: null,
    finishedAt: null,
  };
}

/**
 * The behaviour every adapter of the rollout engine's stored ports must have (in memory, and over
 * the entity store on PGlite and PostgreSQL). `open` gives fresh ports, or undefined when the
 * engine is missing and the test was skipped. Adapters may share one store between tests, so
 * every test uses ids of its own.
 */
export function runRolloutPortsContract(
  name: string,
  open: (t: TestContext) => Promise<PortsUnderTest | undefined>,
): void {
  describe(`rollout ports contract: ${name}`, () => {
    it('keeps rollouts and their jobs: by id, by state newest first, by device newest first', async (t) => {
      const ports = await open(t);
      if (!ports) return;
      const repo = ports.repository;
      const device = `CART-${randomUUID().slice(0, 8)}`;
      const older = rolloutRecord({ createdAt: T - HOUR });
      const newer = rolloutRecord({ createdAt: T });
      await repo.create(older, [job(older, device, 0), job(older, `${device}-b`, 1)]);
      await repo.create(newer, [job(newer, device, 0)]);
      assert.deepEqual(await repo.get(older.rolloutId), older);
      assert.equal(await repo.get(randomUUID()), undefined);
      assert.equal(await repo.get('not-a-uuid'), undefined);

      await repo.update({ ...older, state: 'halted', haltReason: 'why', updatedAt: T + 1 });
      const halted = await repo.list({ states: ['halted'] });
      assert.ok(halted.some((r) => r.rolloutId === older.rolloutId && r.haltReason === 'why'));
      assert.ok(!halted.some((r) => r.rolloutId === newer.rolloutId));
      const all = (await repo.list()).map((r) => r.rolloutId);
      assert.ok(all.indexOf(newer.rolloutId) < all.indexOf(older.rolloutId), 'newest first');

      const jobs = await repo.jobsOf(older.rolloutId);
      assert.deepEqual(
        jobs.map((j) => [j.ordinal, j.deviceId]),
        [
          [0, device],
          [1, `${device}-b`],
        ],
      );
      const sent = {
        ...jobs[0]!,
        state: 'sent' as const,
        attempts: 1,
        firstSentAt: T,
        lastSentAt: T,
      };
      await repo.upsertJobs([sent]);
      assert.deepEqual(await repo.job(sent.jobId), sent);
      assert.deepEqual(
        (await repo.jobsOfDevice(device)).map((j) => j.rolloutId),
        [newer.rolloutId, older.rolloutId],
      );
    });

    it('lists targets by class, store, hardware and id, with hardware and CA generations from boots', async (t) => {
      const ports = await open(t);
      if (!ports) return;
      const p = randomUUID().slice(0, 8);
      const [s1, s2] = [`${p}-s1`, `${p}-s2`];
      await ports.boot(
        `${p}-1`,
        s1,
        { version: '1.4.0', hardwareRev: 'A', caGenerations: [1, 2] },
        T,
      );
      await ports.boot(`${p}-2`, s1, { version: '1.4.0', hardwareRev: 'B', caGenerations: [1] }, T);
      await ports.boot(`${p}-3`, s2, { version: '1.3.0', hardwareRev: 'A', caGenerations: [1] }, T);
      const ids = async (filter: Parameters<FleetTargets['list']>[0]) =>
        (await ports.targets.list(filter)).map((d) => d.deviceId);
      assert.deepEqual(await ids({ deviceClass: 'cart', storeIds: [s1, s2] }), [
        `${p}-1`,
        `${p}-2`,
        `${p}-3`,
      ]);
      assert.deepEqual(await ids({ deviceClass: 'cart', storeIds: [s1] }), [`${p}-1`, `${p}-2`]);
      assert.deepEqual(
        await ids({ deviceClass: 'cart', storeIds: [s1, s2], hardwareRevs: ['A'] }),
        [`${p}-1`, `${p}-3`],
      );
      assert.deepEqual(await ids({ deviceClass: 'cart', deviceIds: [`${p}-2`] }), [`${p}-2`]);
      assert.deepEqual(await ids({ deviceClass: 'tool', storeIds: [s1] }), []);
      const [one] = await ports.targets.list({ deviceClass: 'cart', deviceIds: [`${p}-1`] });
      assert.equal(one?.storeId, s1);
      assert.equal(one?.hardwareRev, 'A');
      assert.equal(one?.firmwareVersion, '1.4.0');
      assert.deepEqual(one?.caGenerations, [1, 2]);
    });

    it("keeps stores' windows with the registry's zone; unknown stores have no schedule", async (t) => {
      const ports = await open(t);
      if (!ports) return;
      const p = randomUUID().slice(0, 8);
      await ports.setTimezone(`${p}-berlin`, 'Europe/Berlin');
      await ports.calendar.setWindows(`${p}-berlin`, ['02:00-05:00', '23:00-01:00'], {
        by: 'ops:anna',
        at: T,
      });
      await ports.calendar.setWindows(`${p}-plain`, ['01:00-02:00'], { by: 'store', at: T });
      assert.deepEqual(
        await ports.calendar.schedules([`${p}-berlin`, `${p}-plain`, `${p}-nowhere`]),
        [
          {
            storeId: `${p}-berlin`,
            timezone: 'Europe/Berlin',
            windows: ['02:00-05:00', '23:00-01:00'],
            openingHours: null,
          },
          { storeId: `${p}-plain`, timezone: null, windows: ['01:00-02:00'], openingHours: null },
        ],
      );
      await ports.calendar.setWindows(`${p}-berlin`, [], { by: 'ops:anna', at: T + 1 });
      assert.deepEqual(await ports.calendar.schedules([`${p}-berlin`]), [
        { storeId: `${p}-berlin`, timezone: 'Europe/Berlin', windows: [], openingHours: null },
      ]);
    });

    it("keeps a store's opening hours and the zone given with them; null forgets them", async (t) => {
      const ports = await open(t);
      if (!ports) return;
      const p = randomUUID().slice(0, 8);
      const day = ['08:00-20:00'];
      const hours = {
        mon: day,
        tue: day,
        wed: day,
        thu: day,
        fri: day,
        sat: ['10:00-02:00'],
        sun: [],
      };
      await ports.setTimezone(`${p}-lisbon`, 'Europe/Lisbon');
      await ports.calendar.setWindows(`${p}-lisbon`, ['03:00-04:00'], { by: 'ops', at: T });
      await ports.calendar.setOpeningHours(`${p}-lisbon`, hours, undefined, { by: 'ops', at: T });
      await ports.calendar.setOpeningHours(`${p}-tokyo`, hours, 'Asia/Tokyo', { by: 'ops', at: T });
      assert.deepEqual(await ports.calendar.schedules([`${p}-lisbon`, `${p}-tokyo`]), [
        {
          storeId: `${p}-lisbon`,
          timezone: 'Europe/Lisbon',
          windows: ['03:00-04:00'],
          openingHours: hours,
        },
        { storeId: `${p}-tokyo`, timezone: 'Asia/Tokyo', windows: [], openingHours: hours },
      ]);
      await ports.calendar.setOpeningHours(`${p}-lisbon`, null, undefined, {
        by: 'ops',
        at: T + 1,
      });
      assert.deepEqual(await ports.calendar.schedules([`${p}-lisbon`]), [
        {
          storeId: `${p}-lisbon`,
          timezone: 'Europe/Lisbon',
          windows: ['03:00-04:00'],
          openingHours: null,
        },
      ]);
    });

    it('counts faults and failed boots per version in a window, against the targets only', async (t) => {
      const ports = await open(t);
      if (!ports) return;
      const p = randomUUID().slice(0, 8);
      const store = `${p}-s`;
      const A = `${p}-a`; // old version, tries the new one and rolls back
      const B = `${p}-b`; // old version
      const C = `${p}-c`; // new version
      const X = `${p}-x`; // another store: not a target
      const fact = (version: string) => ({ version, hardwareRev: 'A', caGenerations: [1, 2] });
      for (const id of [A, B]) await ports.boot(id, store, fact('1.4.0'), T);
      await ports.boot(C, store, fact('2.0.0'), T);
      await ports.boot(X, `${p}-other`, fact('2.0.0'), T);
      const w = T + HOUR;
      await ports.fault(C, store, w + 60_000);
      await ports.fault(C, store, w + 120_000);
      await ports.fault(B, store, w + 180_000);
      await ports.fault(X, `${p}-other`, w + 180_000);
      // A rollback counts against the version that failed, a watchdog reset against the running one.
      await ports.boot(
        A,
        store,
        { ...fact('1.4.0'), rolledBack: true, previousVersion: '2.0.0' },
        w + 240_000,
      );
      await ports.boot(B, store, { ...fact('1.4.0'), resetReason: 'watchdog' }, w + 300_000);
      await ports.fault(C, store, w + 2 * HOUR); // after the window

      const sample = await ports.health.measure({
        targets: { deviceClass: 'cart', storeIds: [store] },
        version: '2.0.0',
        from: w,
        to: w + HOUR,
      });
      assert.equal(sample.target.events, 3);
      assert.equal(sample.others.events, 2);
      // Each device ran one version through the whole window and was heard from in it.
      assert.equal(sample.target.deviceHours, 1);
      assert.equal(sample.others.deviceHours, 2);
    });
  });
}
