import { describe, expect, it } from '@jest/globals';
import {
  judgeDisabled,
  primaryAddress,
  primaryDomain,
  purposeOf,
  triageUser,
} from './organization.rules.js';

describe('triageUser (no Graph call)', () => {
  const user = { id: 'u', mail: 'ann@contoso.com', proxyAddresses: ['SMTP:ann@contoso.com'] };

  it('an enabled account with a mailbox is a mailbox; a disabled one needs its purpose', () => {
    expect(triageUser({ ...user, accountEnabled: true })).toBe('mailbox');
    expect(triageUser({ ...user, accountEnabled: false })).toBe('check_purpose');
  });

  it('no mail and no SMTP proxy address → no mailbox; only SIP → no mailbox; proxy only → mailbox', () => {
    expect(triageUser({ id: 'u', mail: null, proxyAddresses: [], accountEnabled: true })).toBe(
      'no_mailbox',
    );
    expect(triageUser({ id: 'u', mail: ' ', proxyAddresses: ['SIP:a@b.c'] })).toBe('no_mailbox');
    expect(triageUser({ id: 'u', mail: null, proxyAddresses: [' smtp: a@b.c'] })).toBe('mailbox');
  });

  it('guests are left out, by userType or #EXT# user principal name', () => {
    expect(triageUser({ ...user, userType: 'Guest' })).toBe('guest');
    expect(
      triageUser({ ...user, userPrincipalName: 'bob_fabrikam.com#EXT#@contoso.onmicrosoft.com' }),
    ).toBe('guest');
  });
});

describe('userPurpose of disabled accounts', () => {
  it.each([
    [200, { userPurpose: 'shared' }, 'shared', 'shared'],
    [200, { userPurpose: 'user' }, 'user', 'former_person'],
    [200, { userPurpose: 'linked' }, 'linked', 'former_person'],
    [200, { userPurpose: 'room' }, 'room', 'room_or_equipment'],
    [200, { userPurpose: 'equipment' }, 'equipment', 'room_or_equipment'],
    [200, { userPurpose: 'unknownFutureValue' }, 'others', 'former_person'],
    [404, { error: { code: 'MailboxNotEnabledForRESTAPI' } }, 'no_mailbox', 'no_mailbox'],
    [403, { error: { code: 'ErrorAccessDenied' } }, 'access_denied', 'unreadable'],
    [403, { error: { code: 'Authorization_RequestDenied' } }, 'unreadable', 'unreadable'],
    [500, undefined, 'unreadable', 'unreadable'],
  ] as const)('%i %j → %s → %s', (status, body, purpose, verdict) => {
    expect(purposeOf(status, body)).toBe(purpose);
    expect(judgeDisabled(purposeOf(status, body))).toBe(verdict);
  });
});

describe('addresses and the organization name', () => {
  it('primary: mail, else the user principal name, lower-case', () => {
    expect(primaryAddress({ id: 'u', mail: ' Ann@Contoso.com ', userPrincipalName: 'x@y.z' })).toBe(
      'ann@contoso.com',
    );
    expect(
      primaryAddress({ id: 'u', mail: null, userPrincipalName: 'Ann@Contoso.onmicrosoft.com' }),
    ).toBe('ann@contoso.onmicrosoft.com');
  });

  it('the most used domain names the organization (ties: alphabetical)', () => {
    expect(
      primaryDomain(
        new Map([
          ['contoso.com', 4],
          ['contoso.onmicrosoft.com', 1],
        ]),
      ),
    ).toBe('contoso.com');
    expect(
      primaryDomain(
        new Map([
          ['b.com', 2],
          ['a.com', 2],
        ]),
      ),
    ).toBe('a.com');
    expect(primaryDomain(new Map())).toBeNull();
  });
});
