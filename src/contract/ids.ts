/**
 * Identifiers that appear on the wire and in topics. They are restricted to characters that are
 * safe in an MQTT topic level (no '/', '+', '#'), in an X.509 common name (at most 64 characters)
 * and in a file name, so one value can serve as certificate subject, topic level and registry key.
 */
export const DEVICE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';
export const STORE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

const deviceIdRegex = new RegExp(DEVICE_ID_PATTERN);
const storeIdRegex = new RegExp(STORE_ID_PATTERN);

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A device's id: its factory serial, also the CN of its certificate. */
export type DeviceId = Brand<string, 'DeviceId'>;
export type StoreId = Brand<string, 'StoreId'>;

export function isDeviceId(value: string): value is DeviceId {
  return deviceIdRegex.test(value) && !value.includes('..');
}

export function isStoreId(value: string): value is StoreId {
  return storeIdRegex.test(value) && !value.includes('..');
}

/** The device classes fleetplane models; each publishes under `dt/<class>/...`. */
export const DEVICE_CLASSES = ['cart', 'coldchain', 'tool'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export function isDeviceClass(value: string): value is DeviceClass {
  return (DEVICE_CLASSES as readonly string[]).includes(value);
}
