import { describe, expect, it } from '@jest/globals';
import { dashboardHref, describeAge } from './dashboard.rules.js';

describe('dashboard links', () => {
  it('link to the list with the same filters, in AdminJS parameter form', () => {
    const href = dashboardHref('outbound_messages', {
      status: 'failed',
      updatedAt: { from: '2026-06-01T00:00:00.000Z' },
    });
    const url = new URL(href, 'http://console.test');
    expect(url.pathname).toBe('/admin/resources/outbound_messages');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      'filters.status': 'failed',
      'filters.updatedAt~~from': '2026-06-01T00:00:00.000Z',
    });
  });

  it('describe ages in the largest sensible units', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const ago = (s: number) => new Date(now.getTime() - s * 1000);
    expect(
      [45, 720, 3 * 3600 + 300, 2 * 86400 + 4 * 3600].map((s) => describeAge(ago(s), now)),
    ).toEqual(['45 s', '12 min', '3 h 5 min', '2 d 4 h']);
  });
});
