import type { DataSubjectRequests } from '../../domain/customers/data-subject-requests.js';
import type { IdentityService } from '../../domain/customers/identity-service.js';
import type { AuditActor } from '../../stores/audit/audit-log.js';
import type { Wallet } from '../../domain/customers/customer-wallet.js';

/** What the customer-app and privacy routes need; absent when the platform runs without them. */
export interface CustomerApiDeps {
  readonly identity: IdentityService;
  readonly dsar: DataSubjectRequests;
  /** The customer's own cards, read through the audited path. */
  readonly wallet: (customerId: string, actor: AuditActor) => Promise<Wallet>;
}
