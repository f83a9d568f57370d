import type { OtaRecords } from '../../../../stores/entities/ota/ota-records.js';
import type {
  FleetTargets,
  HealthQuery,
  OpeningHours,
  OtaTarget,
  RolloutJobRecord,
  RolloutRecord,
  RolloutRepository,
  RolloutState,
  StoreCalendar,
  StoreSchedule,
  TargetFilter,
  VersionHealth,
  VersionHealthSample,
} from '../ports.js';

/**
 * The rollout engine's stored ports over the entity store (PGlite or PostgreSQL, through its
 * thread). The SQL lives in src/stores/entities/ota; these only rename. Health events and the device
 * columns they read (hardware_rev, ca_generations) are written by entity projection.
 */
export function entityStorePorts(store: OtaRecords): {
  readonly repository: RolloutRepository;
  readonly targets: FleetTargets;
  readonly calendar: StoreCalendar;
  readonly health: VersionHealth;
} {
  return {
    repository: new EntityStoreRolloutRepository(store),
    targets: { list: (filter: TargetFilter): Promise<OtaTarget[]> => store.listOtaTargets(filter) },
    calendar: new EntityStoreCalendar(store),
    health: {
      measure: (query: HealthQuery): Promise<VersionHealthSample> =>
        store.measureVersionHealth(query),
    },
  };
}

export class EntityStoreRolloutRepository implements RolloutRepository {
  constructor(private readonly store: OtaRecords) {}
  create(rollout: RolloutRecord, jobs: readonly RolloutJobRecord[]): Promise<void> {
    return this.store.createRollout(rollout, jobs);
  }
  get(rolloutId: string): Promise<RolloutRecord | undefined> {
    return this.store.getRollout(rolloutId);
  }
  list(filter: { readonly states?: readonly RolloutState[] } = {}): Promise<RolloutRecord[]> {
    return this.store.listRollouts(filter);
  }
  update(rollout: RolloutRecord): Promise<void> {
    return this.store.updateRollout(rollout);
  }
  upsertJobs(jobs: readonly RolloutJobRecord[]): Promise<void> {
    return this.store.upsertOtaJobs(jobs);
  }
  jobsOf(rolloutId: string): Promise<RolloutJobRecord[]> {
    return this.store.listRolloutJobs(rolloutId);
  }
  job(jobId: string): Promise<RolloutJobRecord | undefined> {
    return this.store.getOtaJob(jobId);
  }
  jobsOfDevice(deviceId: string): Promise<RolloutJobRecord[]> {
    return this.store.listDeviceOtaJobs(deviceId);
  }
}

export class EntityStoreCalendar implements StoreCalendar {
  constructor(private readonly store: OtaRecords) {}
  schedules(storeIds: readonly string[]): Promise<StoreSchedule[]> {
    return this.store.getStoreSchedules(storeIds);
  }
  setWindows(
    storeId: string,
    windows: readonly string[],
    change: { readonly by: string; readonly at: number },
  ): Promise<void> {
    return this.store.setMaintenanceWindows(storeId, windows, change);
  }
  setOpeningHours(
    storeId: string,
    hours: OpeningHours | null,
    timezone: string | undefined,
    change: { readonly by: string; readonly at: number },
  ): Promise<void> {
    return this.store.setOpeningHours(storeId, hours, timezone, change);
  }
}
