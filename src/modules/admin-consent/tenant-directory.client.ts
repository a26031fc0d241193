import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { runPool } from '../../common/jobs/pool.js';
import { AppTokenService } from '../../common/microsoft/app-token.service.js';
import { type GraphApi, GraphClientFactory } from '../../common/microsoft/graph-client.factory.js';
import {
  DIRECTORY_PAGE_SIZE,
  DIRECTORY_SELECT,
  type DirectoryUser,
  purposeOf,
  type UserPurpose,
} from './organization.rules.js';

interface UsersPage {
  value: DirectoryUser[];
  '@odata.nextLink'?: string;
}

interface BatchAnswer {
  responses: { id: string; status: number; headers?: Record<string, string>; body?: unknown }[];
}

/** Graph's limit of requests in one `$batch`. */
const BATCH_SIZE = 20;
const BATCHES_IN_FLIGHT = 4;
const THROTTLE_ROUNDS = 3;
const MAX_THROTTLE_WAIT_MS = 30_000;

/**
 * A tenant's directory read app-only (the tenant's client-credentials token): `/users` in pages
 * of 999, and the mailbox settings of chosen users in `$batch`es of 20. Failures are thrown as
 * the Graph SDK raised them (TokenGrantError for the token).
 */
@Injectable()
export class TenantDirectoryClient {
  constructor(
    private readonly graph: GraphClientFactory,
    private readonly appTokens: AppTokenService,
  ) {}

  /** A fresh app-only token for the tenant (the cached one is dropped first). */
  async freshToken(tenantId: string): Promise<void> {
    this.appTokens.forget(tenantId);
    await this.appTokens.token(tenantId);
  }

  /**
   * Reads every page of `/users`, handing each to `onPage` in order; the next page is already
   * being read while `onPage` works (one page ahead, so memory stays bounded).
   */
  async forEachPage(tenantId: string, onPage: (users: DirectoryUser[]) => Promise<void>) {
    const client = this.client(tenantId);
    let page = (await client
      .api('/users')
      .select(DIRECTORY_SELECT)
      .top(DIRECTORY_PAGE_SIZE)
      .get()) as UsersPage;
    for (let pages = 1; ; pages += 1) {
      const link = page['@odata.nextLink'];
      const next = link ? (client.api(link).get() as Promise<UsersPage>) : undefined;
      next?.catch(() => undefined);
      await onPage(page.value);
      if (!next) return pages;
      page = await next;
    }
  }

  /** `userPurpose` of each user's mailbox (shared, room …), 20 users per Graph request. */
  async purposes(tenantId: string, userIds: string[]): Promise<Map<string, UserPurpose>> {
    const result = new Map<string, UserPurpose>();
    let pending = [...userIds];
    for (let round = 0; round < THROTTLE_ROUNDS && pending.length > 0; round += 1) {
      const throttled = await this.readPurposes(this.client(tenantId), pending, result);
      pending = throttled.ids;
      if (pending.length > 0 && round + 1 < THROTTLE_ROUNDS)
        await sleep(Math.min(MAX_THROTTLE_WAIT_MS, throttled.waitMs));
    }
    for (const id of pending) result.set(id, 'unreadable');
    return result;
  }

  private async readPurposes(client: GraphApi, ids: string[], into: Map<string, UserPurpose>) {
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += BATCH_SIZE) chunks.push(ids.slice(i, i + BATCH_SIZE));
    const throttled = { ids: [] as string[], waitMs: 1000 };
    await runPool(chunks, BATCHES_IN_FLIGHT, async (chunk) => {
      const answer = (await client.api('/$batch').post({
        requests: chunk.map((id, i) => ({
          id: String(i),
          method: 'GET',
          url: `/users/${encodeURIComponent(id)}/mailboxSettings?$select=userPurpose`,
        })),
      })) as BatchAnswer;
      for (const item of answer.responses) {
        const userId = chunk[Number(item.id)];
        if (userId === undefined) continue;
        if (item.status !== 429) into.set(userId, purposeOf(item.status, item.body));
        else {
          throttled.ids.push(userId);
          throttled.waitMs = Math.max(throttled.waitMs, retryAfterMs(item.headers));
        }
      }
    });
    return throttled;
  }

  private client(tenantId: string): GraphApi {
    return this.graph.forToken(() => this.appTokens.token(tenantId));
  }
}

function retryAfterMs(headers: Record<string, string> | undefined): number {
  const entry = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after');
  const seconds = Number(entry?.[1]);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
}
