import type { EmulatorContext } from '../context.js';
import type { User } from '../model.js';
import { AadError } from './aad-error.js';
import type { AuthorizeRequest } from './authorize-request.js';
import { authorityAdmits } from './tenant-segment.js';

/** Why this user may not sign in to this app at this authority, or null. */
export function signInDenial(
  ctx: EmulatorContext,
  request: AuthorizeRequest,
  user: User,
): AadError | null {
  const tenant = ctx.store.directory.getTenant(user.tenantId);
  if (!authorityAdmits(request.authority, user.tenantId) || !tenant) {
    return new AadError(
      'invalid_request',
      50020,
      `User account '${user.userPrincipalName}' from identity provider '${ctx.baseUrl}/${user.tenantId}/' does not exist in tenant '${request.tenantSegment}' and cannot access the application '${request.app.clientId}'(${request.app.displayName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`,
    );
  }
  if (!request.app.multiTenant && request.app.homeTenantId !== user.tenantId) {
    return new AadError(
      'unauthorized_client',
      50194,
      `Application '${request.app.clientId}'(${request.app.displayName}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.`,
    );
  }
  if (!user.accountEnabled)
    return new AadError('invalid_grant', 50057, 'The user account is disabled.');
  return null;
}

export function adminConsentRequired(request: AuthorizeRequest): AadError {
  return new AadError(
    'consent_required',
    90094,
    `The grant requires admin permission. Need admin approval: '${request.app.displayName}' needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.`,
  );
}
