/**
 * Device identity: the fleet CA, device certificates, the device and store registries,
 * revocation and admission. The broker, ingest and the CLI import from here.
 */
export { admitDevice, type AdmissionOptions, type AdmittedDevice } from './admission/admit.js';
export { validateDeviceChain, type ValidatedPath } from './admission/chain.js';
export { CheckedCertificates } from './admission/checked-certificates.js';
export { refreshCaFiles, writeTrustFiles } from './ca/ca-files.js';
export { FleetCa, findFleetCa, loadFleetCa } from './ca/fleet-ca.js';
export type { CaCertificate, CaGeneration } from './ca/generation.js';
export {
  caStatus,
  initCa,
  rotateCa,
  type GenerationStatus,
  type InitResult,
  type RotateOptions,
  type RotateResult,
} from './ca/lifecycle.js';
export { DEFAULT_OVERLAP_DAYS } from './ca/profile.js';
export {
  issueServerCertificate,
  issueServiceCertificate,
  SERVICE_NAME_PATTERN,
  type ServerCertificate,
} from './ca/server-certificate.js';
export { verifyCsr, type VerifiedCsr } from './certificates/csr.js';
export {
  issueDeviceCertificate,
  readDeviceCertificate,
  type DeviceCertificateInfo,
} from './certificates/device-certificate.js';
export { systemClock, type Clock } from './clock.js';
export { IdentityFailure, type IdentityErrorCode } from './errors.js';
export { openIdentity, type IdentityContext } from './identity.js';
export {
  checkProvisionable,
  loadIssuer,
  provisionDevice,
  type LoadedIssuer,
  type ProvisionOutcome,
  type ProvisionRequest,
  type ProvisionResult,
} from './provisioning/provision.js';
export type { CertificateRecord, DeviceRecord } from './registry/device-record.js';
export type { DeviceRegistry } from './registry/device-registry.js';
export { FileDeviceRegistry } from './registry/file-device-registry.js';
export { buildCrlBundle, refreshCrls, splitCrlBundle } from './revocation/crl.js';
export { revokeDevice, type RevokeResult } from './revocation/revoke.js';
export {
  REVOCATION_REASONS,
  isRevocationReason,
  readRevocations,
  type RevocationEntry,
  type RevocationReason,
} from './revocation/revocation-log.js';
export {
  DEFAULT_REVOCATION_POLL_MS,
  RevocationWatcher,
  type RevocationSnapshot,
} from './revocation/revocation-watcher.js';
export { addStore, requireStore } from './stores/add-store.js';
export { FileStoreRegistry } from './stores/file-store-registry.js';
export {
  REGIONS,
  isRegion,
  type Region,
  type StoreRecord,
  type StoreRegistry,
} from './stores/store-registry.js';
export * from './claim/index.js';
