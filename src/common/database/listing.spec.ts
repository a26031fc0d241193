import { describe, expect, it } from '@jest/globals';
import {
  Listing,
  type ListingArgs,
  type ListingFields,
  listingOrder,
  listingWhere,
  listingWindow,
} from './listing.js';

const FIELDS: ListingFields = {
  id: { kind: 'uuid' },
  workspaceId: { kind: 'equals' },
  email: { kind: 'contains' },
  status: { kind: 'enum', values: ['active', 'needs_reauth'] },
  createdAt: { kind: 'date' },
  inboundEnabled: { kind: 'boolean' },
  attempts: { kind: 'number' },
  connected: { kind: 'isNull', column: 'disconnectedAt' },
};
const UUID = '3f1d2c4b-5a69-4e7f-8a1b-2c3d4e5f6a7b';

describe('listingWhere', () => {
  it('turns each known filter into its condition', () => {
    expect(
      listingWhere(FIELDS, {
        workspaceId: 'ws-1',
        email: 'Adele',
        status: 'needs_reauth',
        inboundEnabled: 'false',
        attempts: '3',
        connected: 'true',
        createdAt: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' },
      }),
    ).toEqual({
      workspaceId: 'ws-1',
      email: { contains: 'Adele', mode: 'insensitive' },
      status: 'needs_reauth',
      inboundEnabled: false,
      attempts: 3,
      disconnectedAt: null,
      createdAt: { gte: new Date('2026-01-01T00:00:00Z'), lte: new Date('2026-01-02T00:00:00Z') },
    });
  });

  it('ignores fields the module does not offer (secrets cannot be filtered on)', () => {
    expect(listingWhere(FIELDS, { refreshToken: 'x', passwordHash: 'y' })).toEqual({});
    expect(listingWhere(FIELDS, { constructor: 'x', __proto__: 'y' } as never)).toEqual({});
  });

  it('answers "nothing matches" for values a field cannot hold', () => {
    expect(listingWhere(FIELDS, { status: 'deleted' })).toBeNull();
    expect(listingWhere(FIELDS, { id: 'not-a-uuid' })).toBeNull();
    expect(listingWhere(FIELDS, { inboundEnabled: 'maybe' })).toBeNull();
    expect(listingWhere(FIELDS, { attempts: '1e9' })).toBeNull();
    expect(listingWhere(FIELDS, { email: 'x'.repeat(201) })).toBeNull();
    expect(listingWhere(FIELDS, { status: ['active'] })).toBeNull();
  });

  it('takes several ids for equals and uuid fields, and "false" for isNull', () => {
    expect(listingWhere(FIELDS, { id: [UUID] })).toEqual({ id: { in: [UUID] } });
    expect(listingWhere(FIELDS, { id: [UUID, 'x'] })).toBeNull();
    expect(listingWhere(FIELDS, { connected: 'false' })).toEqual({
      disconnectedAt: { not: null },
    });
  });

  it('drops unreadable date bounds', () => {
    expect(listingWhere(FIELDS, { createdAt: { from: 'yesterday' } })).toEqual({});
    expect(listingWhere(FIELDS, { createdAt: 'today' })).toBeNull();
  });
});

describe('listingOrder and listingWindow', () => {
  const fallback = { field: 'createdAt', direction: 'desc' } as const;

  it('sorts on an offered field with the id as tie-breaker, else the fallback', () => {
    expect(listingOrder(FIELDS, { field: 'email', direction: 'asc' }, fallback)).toEqual([
      { email: 'asc' },
      { id: 'asc' },
    ]);
    expect(listingOrder(FIELDS, { field: 'passwordHash', direction: 'asc' }, fallback)).toEqual([
      { createdAt: 'desc' },
      { id: 'asc' },
    ]);
    expect(listingOrder(FIELDS, { field: 'connected', direction: 'asc' }, fallback)).toEqual([
      { createdAt: 'desc' },
      { id: 'asc' },
    ]);
  });

  it('bounds the page', () => {
    expect(listingWindow({ offset: -5, limit: 10_000 })).toEqual({ skip: 0, take: 500 });
    expect(listingWindow({ offset: 40, limit: 0 })).toEqual({ skip: 40, take: 1 });
  });
});

describe('Listing', () => {
  const listing = new Listing<Record<string, unknown>>(FIELDS, {
    field: 'createdAt',
    direction: 'desc',
  });

  it('hands the model its where, order and page, and returns what it read', async () => {
    const calls: ListingArgs<Record<string, unknown>>[] = [];
    const rows = await listing.rows(
      {
        filters: { status: 'active', secret: 'x' },
        sort: { field: 'email', direction: 'asc' },
        offset: 40,
        limit: 20,
      },
      (args) => {
        calls.push(args);
        return Promise.resolve(['row']);
      },
    );
    expect(rows).toEqual(['row']);
    expect(calls).toEqual([
      {
        where: { status: 'active' },
        orderBy: [{ email: 'asc' }, { id: 'asc' }],
        skip: 40,
        take: 20,
      },
    ]);
  });

  it('orders by its default when the sort is not offered, and bounds the page', async () => {
    const calls: ListingArgs<Record<string, unknown>>[] = [];
    await listing.rows(
      { filters: {}, sort: { field: 'passwordHash', direction: 'asc' }, offset: -5, limit: 10_000 },
      (args) => {
        calls.push(args);
        return Promise.resolve([]);
      },
    );
    expect(calls[0]).toMatchObject({ orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip: 0 });
    expect(calls[0].take).toBeLessThanOrEqual(500);
  });

  it('answers no rows and 0 without asking the model when a filter can match nothing', async () => {
    const asked: string[] = [];
    const query = { filters: { status: 'unknown' }, offset: 0, limit: 10 };
    await expect(
      listing.rows(query, () => {
        asked.push('findMany');
        return Promise.resolve(['row']);
      }),
    ).resolves.toEqual([]);
    await expect(
      listing.count({ attempts: 'many' }, () => {
        asked.push('count');
        return Promise.resolve(7);
      }),
    ).resolves.toBe(0);
    expect(asked).toEqual([]);
    await expect(
      listing.count({ email: 'a' }, (where) => {
        expect(where).toEqual({ email: { contains: 'a', mode: 'insensitive' } });
        return Promise.resolve(7);
      }),
    ).resolves.toBe(7);
  });
});
