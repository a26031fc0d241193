import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  discoverAddresses,
  type KnownIdentity,
  planDiscovery,
  smtpProxyAddresses,
} from './identity.rules.js';

describe('proxyAddresses rules', () => {
  it('keeps only SMTP addresses, lower-cased, trimmed and unique; SMTP: marks the primary', () => {
    const result = smtpProxyAddresses([
      'SMTP:Bob@Contoso.com',
      'smtp: Bob@Sales.Contoso.com',
      'smtp:bob@sales.contoso.com',
      'SIP:bob@contoso.com',
      'X500:/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=bob',
      'X400:c=US;a= ;p=Contoso;o=Exchange;s=Bob',
      'SPO:SPO_1234@SPO_5678',
      'EUM:1234;phone-context=contoso.com',
      'smtp:not an address',
      'garbage',
    ]);
    expect(result).toEqual({
      primary: 'bob@contoso.com',
      all: ['bob@contoso.com', 'bob@sales.contoso.com'],
    });
  });

  it('primary is mail, else the UPN, and every other SMTP address is an alias', () => {
    expect(
      discoverAddresses({
        mail: 'Adele@Contoso.com',
        userPrincipalName: 'adele@contoso.onmicrosoft.com',
        proxyAddresses: ['SMTP:adele@contoso.com', 'smtp:AV@Sales.Contoso.com'],
      }),
    ).toEqual([
      { email: 'adele@contoso.com', type: 'primary' },
      { email: 'av@sales.contoso.com', type: 'alias' },
    ]);
    expect(
      discoverAddresses({ mail: null, userPrincipalName: 'Svc@Contoso.com', proxyAddresses: [] }),
    ).toEqual([{ email: 'svc@contoso.com', type: 'primary' }]);
    expect(discoverAddresses({ mail: 'me@outlook.com' })).toEqual([
      { email: 'me@outlook.com', type: 'primary' },
    ]);
    expect(discoverAddresses({})).toEqual([]);
  });

  const entry = fc
    .tuple(
      fc.constantFrom('SMTP', 'smtp', 'SIP', 'sip', 'X500', 'X400', 'SPO', 'EUM', 'Smtp'),
      fc.constantFrom('', ' ', '  '),
      fc.emailAddress(),
    )
    .map(([type, space, email]) => `${type}:${space}${email}`);

  it('property: output is lower-case, unique, only from SMTP entries, and includes the primary', () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 12 }),
        fc.option(fc.emailAddress(), { nil: null }),
        fc.emailAddress(),
        (proxies, mail, upn) => {
          const found = discoverAddresses({
            mail,
            userPrincipalName: upn,
            proxyAddresses: proxies,
          });
          const emails = found.map((f) => f.email);
          expect(emails.every((e) => e === e.toLowerCase())).toBe(true);
          expect(new Set(emails).size).toBe(emails.length);
          expect(found.filter((f) => f.type === 'primary')).toHaveLength(1);
          expect(found[0]).toEqual({ email: (mail ?? upn).toLowerCase(), type: 'primary' });
          const smtp = new Set(
            proxies
              .filter((p) => p.slice(0, p.indexOf(':')).toLowerCase() === 'smtp')
              .map((p) =>
                p
                  .slice(p.indexOf(':') + 1)
                  .trim()
                  .toLowerCase(),
              ),
          );
          for (const alias of found.filter((f) => f.type === 'alias'))
            expect(smtp.has(alias.email)).toBe(true);
        },
      ),
    );
  });
});

describe('planDiscovery', () => {
  const known = (over: Partial<KnownIdentity> & { id: string; email: string }): KnownIdentity => ({
    type: 'alias',
    source: 'discovered',
    status: 'active',
    ...over,
  });

  it('adds new addresses, deactivates vanished ones, reactivates returning ones, never touches Send As', () => {
    const plan = planDiscovery(
      [
        known({ id: 'p', email: 'a@x.com', type: 'primary' }),
        known({ id: 'gone', email: 'old@x.com' }),
        known({ id: 'back', email: 'back@x.com', status: 'inactive' }),
        known({ id: 'sa', email: 'shared@x.com', type: 'send_as', source: 'manual' }),
      ],
      [
        { email: 'a@x.com', type: 'primary' },
        { email: 'back@x.com', type: 'alias' },
        { email: 'new@x.com', type: 'alias' },
      ],
    );
    expect(plan.add).toEqual([{ email: 'new@x.com', type: 'alias' }]);
    expect(plan.keep).toEqual([
      { id: 'p', type: 'primary', reactivate: false },
      { id: 'back', type: 'alias', reactivate: true },
    ]);
    expect(plan.deactivate).toEqual(['gone']);
  });

  it('property: every discovered address ends up known, and manual identities are never planned', () => {
    const email = fc.constantFrom('a@x.com', 'b@x.com', 'c@x.com', 'd@x.com', 'e@x.com');
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            email,
            source: fc.constantFrom('discovered' as const, 'manual' as const),
            status: fc.constantFrom('active' as const, 'inactive' as const),
          }),
          { selector: (r) => r.email },
        ),
        fc.uniqueArray(email),
        (rows, found) => {
          const knownRows = rows.map((r, i) => known({ id: `id${i}`, ...r }));
          const plan = planDiscovery(
            knownRows,
            found.map((e, i) => ({ email: e, type: i === 0 ? 'primary' : 'alias' })),
          );
          const manual = new Set(knownRows.filter((k) => k.source === 'manual').map((k) => k.id));
          for (const id of [...plan.deactivate, ...plan.keep.map((k) => k.id)])
            expect(manual.has(id)).toBe(false);
          const covered = new Set([
            ...plan.add.map((a) => a.email),
            ...knownRows.map((k) => k.email),
          ]);
          for (const e of found) expect(covered.has(e)).toBe(true);
        },
      ),
    );
  });
});
