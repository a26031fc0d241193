import { describe, expect, it } from '@jest/globals';
import {
  type ExistingMailbox,
  LEFT_ORGANIZATION,
  ORGANIZATION_NEEDS_CONSENT,
  ORGANIZATION_REMOVED,
  planOrganizationMailbox,
} from './organization-mailbox.rules.js';

const account = { msUserId: 'u1', email: 'ann@contoso.com', displayName: 'Ann' };
const stored = (over: Partial<ExistingMailbox> = {}): ExistingMailbox => ({
  connectionType: 'organization',
  disconnectedAt: null,
  statusReason: null,
  email: 'ann@contoso.com',
  displayName: 'Ann',
  ...over,
});
const gone = new Date('2026-01-01T00:00:00Z');

describe('planOrganizationMailbox', () => {
  it('creates a new account, keeps an unchanged one, updates a renamed one', () => {
    expect(planOrganizationMailbox(undefined, account)).toBe('create');
    expect(planOrganizationMailbox(stored(), account)).toBe('keep');
    expect(planOrganizationMailbox(stored({ email: 'old@contoso.com' }), account)).toBe('update');
    expect(planOrganizationMailbox(stored({ displayName: 'Ann B' }), account)).toBe('update');
  });

  it('a suspended organization mailbox is still kept (its status belongs to the consent)', () => {
    const suspended = stored({ statusReason: ORGANIZATION_NEEDS_CONSENT });
    expect(planOrganizationMailbox(suspended, account)).toBe('keep');
  });

  it('a connected delegated mailbox of the same person wins', () => {
    expect(planOrganizationMailbox(stored({ connectionType: 'delegated' }), account)).toBe(
      'skip_delegated',
    );
  });

  it('brings back mailboxes retired by a sync or a removal, and old delegated ones', () => {
    for (const statusReason of [LEFT_ORGANIZATION, ORGANIZATION_REMOVED]) {
      expect(planOrganizationMailbox(stored({ disconnectedAt: gone, statusReason }), account)).toBe(
        'adopt',
      );
    }
    const oldDelegated = stored({ connectionType: 'delegated', disconnectedAt: gone });
    expect(planOrganizationMailbox(oldDelegated, account)).toBe('adopt');
  });

  it('leaves an organization mailbox a person disconnected alone', () => {
    for (const statusReason of [null, ORGANIZATION_NEEDS_CONSENT]) {
      expect(planOrganizationMailbox(stored({ disconnectedAt: gone, statusReason }), account)).toBe(
        'skip_disconnected_by_user',
      );
    }
  });
});
