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
});
