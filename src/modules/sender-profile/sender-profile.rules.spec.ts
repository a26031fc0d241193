import { describe, expect, it } from '@jest/globals';
import { type AssignedIdentityState, sendabilityOf } from './sender-profile.rules.js';

const identity = (over: Partial<AssignedIdentityState> = {}): AssignedIdentityState => ({
  status: 'active',
  mailboxStatus: 'active',
  mailboxConnected: true,
  ...over,
});

describe('sendabilityOf', () => {
  it('no identity assigned → no_identity_assigned', () => {
    expect(sendabilityOf([])).toEqual({ sendable: false, reason: 'no_identity_assigned' });
  });

  it('every identity inactive or send_as_denied → no_active_identity', () => {
    const all = [identity({ status: 'inactive' }), identity({ status: 'send_as_denied' })];
    expect(sendabilityOf(all)).toEqual({ sendable: false, reason: 'no_active_identity' });
  });

  it('active identities only on mailboxes needing re-auth, in error or disconnected → mailboxes_need_reauth', () => {
    const all = [
      identity({ mailboxStatus: 'needs_reauth' }),
      identity({ mailboxStatus: 'error' }),
      identity({ mailboxConnected: false }),
      identity({ status: 'inactive' }),
    ];
    expect(sendabilityOf(all)).toEqual({ sendable: false, reason: 'mailboxes_need_reauth' });
  });

  it('one active identity on an active, connected mailbox is enough', () => {
    const all = [
      identity({ status: 'inactive' }),
      identity({ mailboxStatus: 'needs_reauth' }),
      identity(),
    ];
    expect(sendabilityOf(all)).toEqual({ sendable: true, reason: null });
  });

  it('an inactive identity on a healthy mailbox does not make the profile sendable', () => {
    const all = [identity({ status: 'inactive' }), identity({ mailboxStatus: 'needs_reauth' })];
    expect(sendabilityOf(all)).toEqual({ sendable: false, reason: 'mailboxes_need_reauth' });
  });

  it('every blocked mailbox waiting for its organization consent → organization_needs_consent', () => {
    const consent = {
      mailboxStatus: 'needs_reauth' as const,
      mailboxStatusReason: 'organization_needs_consent',
    };
    expect(
      sendabilityOf([identity(consent), identity(consent), identity({ status: 'inactive' })]),
    ).toEqual({
      sendable: false,
      reason: 'organization_needs_consent',
    });
  });

  it('every blocked mailbox hidden by an access policy → mailbox_access_denied', () => {
    const denied = {
      mailboxStatus: 'error' as const,
      mailboxStatusReason: 'application_access_denied',
    };
    expect(sendabilityOf([identity(denied)])).toEqual({
      sendable: false,
      reason: 'mailbox_access_denied',
    });
  });

  it('mixed reasons, or a disconnected one among them → mailboxes_need_reauth', () => {
    const consent = {
      mailboxStatus: 'needs_reauth' as const,
      mailboxStatusReason: 'organization_needs_consent',
    };
    const denied = {
      mailboxStatus: 'error' as const,
      mailboxStatusReason: 'application_access_denied',
    };
    expect(sendabilityOf([identity(consent), identity(denied)]).reason).toBe(
      'mailboxes_need_reauth',
    );
    expect(
      sendabilityOf([identity(consent), identity({ ...consent, mailboxConnected: false })]).reason,
    ).toBe('mailboxes_need_reauth');
    expect(
      sendabilityOf([identity(consent), identity({ mailboxStatus: 'needs_reauth' })]).reason,
    ).toBe('mailboxes_need_reauth');
  });
});
