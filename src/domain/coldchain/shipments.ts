import type { DeviceDirectory } from '../../pipeline/ingest/device-directory.js';
import { isFailure } from '../../shared/failure.js';
import type {
  EntityStore,
  ProductProfile,
  ShipmentView,
} from '../../stores/entities/entity-store.js';
import { ApiError, badRequest, notFound } from '../../surfaces/api/api-errors.js';
import type { ShadowService } from '../shadow/shadow-service.js';
import { BUILTIN_PROFILES, profileProblem } from './product-profiles.js';
import type { NewProfileBody, NewShipmentBody } from './shipment-schemas.js';

export interface ShipmentDeps {
  readonly entities: EntityStore;
  readonly devices: Pick<DeviceDirectory, 'lookup'>;
  readonly shadows: Pick<ShadowService, 'setDesired'>;
  readonly now: () => number;
}

export interface ShipmentChange {
  readonly shipment: ShipmentView;
  /**
   * Sensors whose shadow could not be written because the platform has not seen them connect
   * yet: the binding holds anyway (the cloud's record is authoritative, decision 042).
   */
  readonly shadowPending: string[];
}

/** The built-in profiles, then the custom ones. */
export async function listProfiles(
  entities: EntityStore,
): Promise<(ProductProfile & { builtin: boolean })[]> {
  const custom = await entities.listProductProfiles();
  return [
    ...BUILTIN_PROFILES.map((p) => ({ ...p, builtin: true })),
    ...custom.map((p) => ({ ...p, builtin: false })),
  ];
}

export async function addProfile(entities: EntityStore, body: NewProfileBody) {
  const profile: ProductProfile = {
    profileId: body.profile_id,
    name: body.name,
    minTempC: body.min_temp_c ?? null,
    maxTempC: body.max_temp_c ?? null,
    maxHumidityPct: body.max_humidity_pct ?? null,
    maxShockG: body.max_shock_g ?? null,
  };
  const problem = profileProblem(profile);
  if (problem) throw badRequest(problem);
  if (!(await entities.addProductProfile(profile))) {
    throw new ApiError(
      409,
      'conflict',
      `profile ${profile.profileId} exists (profiles are not edited: add a new one)`,
    );
  }
  return { ...profile, builtin: false };
}

export async function createShipment(
  deps: ShipmentDeps,
  body: NewShipmentBody,
  actor: string,
): Promise<ShipmentChange> {
  const profile = (await listProfiles(deps.entities)).find((p) => p.profileId === body.profile);
  if (!profile)
    throw badRequest(`profile: no product profile ${body.profile} (GET /v1/product-profiles)`);
  const thresholds: ProductProfile = {
    profileId: profile.profileId,
    name: profile.name,
    minTempC: profile.minTempC,
    maxTempC: profile.maxTempC,
    maxHumidityPct: profile.maxHumidityPct,
    maxShockG: profile.maxShockG,
  };
  const devices = [...new Set(body.devices)];
  for (const id of devices) {
    const known = await deps.devices.lookup(id);
    if (!known) throw badRequest(`devices: no provisioned device ${id}`);
    if (known.deviceClass !== 'coldchain') {
      throw badRequest(`devices: ${id} is a ${known.deviceClass}, not a coldchain sensor`);
    }
  }
  const startedAt = body.start === undefined ? deps.now() : Date.parse(body.start);
  if (Number.isNaN(startedAt)) throw badRequest('start: not a date-time');
  const result = await deps.entities.createShipment({
    shipmentId: body.id,
    profile: thresholds,
    deviceIds: devices,
    startedAt,
    createdBy: actor,
  });
  if (!result.created) {
    throw new ApiError(
      409,
      'conflict',
      result.reason === 'exists'
        ? `shipment ${body.id} exists`
        : `device ${result.deviceId} travels with another shipment that is open (or closes after ${new Date(startedAt).toISOString()})`,
    );
  }
  const shadowPending = await bindShadows(deps, devices, body.id, actor);
  return { shipment: result.shipment, shadowPending };
}

export async function closeShipment(
  deps: ShipmentDeps,
  shipmentId: string,
  actor: string,
): Promise<ShipmentChange> {
  const shipment = await deps.entities.closeShipment(shipmentId, deps.now(), actor);
  if (!shipment) throw notFound(`no shipment ${shipmentId}`);
  const shadowPending = await bindShadows(deps, shipment.deviceIds, null, actor);
  return { shipment, shadowPending };
}

/** Sets (or clears, with null) each sensor's desired shipment_id; returns those not yet seen. */
async function bindShadows(
  deps: ShipmentDeps,
  deviceIds: readonly string[],
  shipmentId: string | null,
  actor: string,
): Promise<string[]> {
  const pending: string[] = [];
  for (const id of deviceIds) {
    try {
      await deps.shadows.setDesired(id, { shipment_id: shipmentId }, actor, deps.now());
    } catch (error) {
      if (isFailure(error) && error.code === 'unknown-device') pending.push(id);
      else throw error;
    }
  }
  return pending;
}
