import { describe, expect, it } from '@jest/globals';
import type { Filter } from 'adminjs';
import type { ResourceDef } from './definitions.js';
import { filtersOf, toParams } from './params.js';

const def = {
  id: 'things',
  fields: [
    { path: 'id', type: 'id', filter: true },
    { path: 'email', type: 'string', filter: true },
    { path: 'createdAt', type: 'datetime', filter: true },
    { path: 'payload', type: 'json' },
    { path: 'password', type: 'password', edit: true },
    { path: 'note', type: 'string' },
  ],
} as unknown as ResourceDef;

const filter = (filters: Record<string, unknown>) =>
  ({
    filters: Object.fromEntries(Object.entries(filters).map(([k, value]) => [k, { value }])),
  }) as unknown as Filter;

describe('console page params', () => {
  it('hold only the definition’s fields, as plain values', () => {
    const row = {
      id: 'a',
      email: 'x@y.z',
      createdAt: new Date('2026-06-01T00:00:00Z'),
      payload: { mailboxId: 'm' },
      password: 'never',
      passwordHash: 'scrypt$…',
      refreshToken: 'v1.k.secret',
      note: null,
    };
    expect(toParams(row, def)).toEqual({
      id: 'a',
      email: 'x@y.z',
      createdAt: '2026-06-01T00:00:00.000Z',
      payload: '{\n  "mailboxId": "m"\n}',
      note: null,
    });
  });

  it('pass on filters of filterable fields only', () => {
    expect(
      filtersOf(
        filter({
          email: 'adele',
          createdAt: { from: '2026-01-01', to: '' },
          note: 'x',
          passwordHash: 'y',
          id: '',
        }),
        def,
      ),
    ).toEqual({ email: 'adele', createdAt: { from: '2026-01-01' } });
  });
});
