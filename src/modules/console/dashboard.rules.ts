import type { ListingFilters } from '../../common/database/listing.js';

export interface DashboardCard {
  key: string;
  label: string;
  count: number;
  /** The list these rows are in, with the same filters. */
  href: string;
  tone: 'ok' | 'warn' | 'bad';
  detail?: string;
  detailHref?: string;
}

/** The console list of `resource` with AdminJS's filter parameters (`filters.x`, `~~from`). */
export function dashboardHref(resource: string, filters: ListingFilters): string {
  const query = new URLSearchParams();
  for (const [field, value] of Object.entries(filters)) {
    if (typeof value === 'string') query.set(`filters.${field}`, value);
    else if (!Array.isArray(value)) {
      if (value.from) query.set(`filters.${field}~~from`, value.from);
      if (value.to) query.set(`filters.${field}~~to`, value.to);
    }
  }
  return `/admin/resources/${resource}?${query.toString()}`;
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function describeAge(since: Date, now: Date): string {
  const s = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
