import type { ProductProfile } from '../../stores/entities/coldchain/coldchain-records.js';

/** Above this a reading is a shock for the built-in profiles (the default alarm rule's 2 g). */
const SHOCK_G = 2;

/**
 * The profiles every platform has, as data (decision 046). An operator adds others through
 * POST /v1/product-profiles; those live in the entity store and may not reuse these ids.
 */
export const BUILTIN_PROFILES: readonly ProductProfile[] = [
  {
    profileId: 'chilled',
    name: 'Chilled, 2–8 °C',
    minTempC: 2,
    maxTempC: 8,
    maxHumidityPct: null,
    maxShockG: SHOCK_G,
  },
  {
    profileId: 'frozen',
    name: 'Frozen, −18 °C or colder',
    minTempC: null,
    maxTempC: -18,
    maxHumidityPct: null,
    maxShockG: SHOCK_G,
  },
  {
    profileId: 'ambient',
    name: 'Controlled ambient, 15–25 °C, at most 60 % humidity',
    minTempC: 15,
    maxTempC: 25,
    maxHumidityPct: 60,
    maxShockG: SHOCK_G,
  },
];

export const PROFILE_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Undefined when the thresholds make a profile; otherwise what is wrong with them. */
export function profileProblem(p: ProductProfile): string | undefined {
  if (!PROFILE_ID.test(p.profileId)) {
    return 'profile_id must be 1–64 of a-z 0-9 . _ -, starting with a letter or digit';
  }
  if (BUILTIN_PROFILES.some((b) => b.profileId === p.profileId)) {
    return `profile_id ${p.profileId} is a built-in profile`;
  }
  if (p.minTempC === null && p.maxTempC === null) {
    return 'a profile needs min_temp_c, max_temp_c or both';
  }
  if (p.minTempC !== null && p.maxTempC !== null && p.minTempC >= p.maxTempC) {
    return 'min_temp_c must be below max_temp_c';
  }
  return undefined;
}
