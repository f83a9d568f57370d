/** The device registry table's item shape: the deployment declares it, the ingest function reads it. */
export const DEVICE_ITEM = {
  /** Partition key (S): the device id, also its thing name and certificate CN. */
  key: 'deviceId',
  /** S: the store the device belongs to. */
  store: 'storeId',
  /** S: cart, coldchain or tool. */
  deviceClass: 'deviceClass',
  /** L of S: DER SPKI (base64) of every certificate key it may still sign with, newest first. */
  publicKeys: 'publicKeys',
  /** BOOL: revoked devices are answered `revoked`. */
  revoked: 'revoked',
} as const;
