import type { DataSubjectRequests } from '../customers/data-subject-requests.js';
import type { IdentityService } from '../customers/identity-service.js';

/** What the customer-app and privacy routes need; absent when the platform runs without them. */
export interface CustomerApiDeps {
  readonly identity: IdentityService;
  readonly dsar: DataSubjectRequests;
}
