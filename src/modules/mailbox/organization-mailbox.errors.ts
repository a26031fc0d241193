import { DomainError } from '../../common/errors/domain-error.js';

/** The organization's admin consent is gone: its mailboxes cannot be reached app-only. */
export class OrganizationConsentMissingError extends DomainError {
  constructor() {
    super(
      'organization_needs_consent',
      409,
      "Microsoft 365 refused ScendCore's access to the organization: an administrator must consent again.",
    );
  }
}

/** An Exchange application access policy keeps the app from this organization mailbox. */
export class MailboxAccessDeniedError extends DomainError {
  constructor() {
    super(
      'mailbox_access_denied',
      409,
      'An Exchange application access policy of the organization keeps ScendCore from this mailbox; an Exchange admin must include it in the policy.',
    );
  }
}
