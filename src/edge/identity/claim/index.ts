/** Claim provisioning's cloud side (decision 044): claim certificates, templates, requests. */
export {
  claimIdOf,
  CLAIM_ID_PATTERN,
  issueClaimCertificate,
  type IssuedClaimCertificate,
} from './claim-certificate.js';
export { ClaimFailure, type ClaimErrorCode } from './claim-errors.js';
export { claimRegistry, createClaim, revokeClaim, type CreatedClaim } from './claim-lifecycle.js';
export { ClaimRateLimit } from './claim-rate.js';
export {
  claimsDir,
  FileClaimRegistry,
  type ClaimRecord,
  type ClaimRegistry,
} from './claim-registry.js';
export { ClaimService, claimState, type ClaimAnswer } from './claim-service.js';
export {
  checkClaimTemplate,
  ClaimTemplate,
  readClaimTemplateFile,
  templateAllows,
} from './claim-template.js';
