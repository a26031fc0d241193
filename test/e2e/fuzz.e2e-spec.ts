import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { contractProblem, Histogram } from '../support/fuzz/contract.js';
import { type OpenApiDocument, type Operation, operationsOf } from '../support/fuzz/openapi.js';
import { rawCall } from '../support/fuzz/raw-call.js';
import { type FuzzRequest, requestFor, type Seeds } from '../support/fuzz/requests.js';
import { seedWorkspace } from '../support/fuzz/seed.js';
import { anyString, encodePart } from '../support/fuzz/values.js';
import { call, createSandboxApp, type Reply, type SandboxApp } from '../support/sandbox-app.js';
import { authEnv, bearer } from '../support/tokens.js';

/** Generated requests in a default run (FUZZ_RUNS for more); FUZZ_SEED replays a run. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2_100);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const PARALLEL = 8;

/** Deleting routes last (the mailbox very last), so the others meet existing rows. */
const rank = (op: Operation) =>
  op.method !== 'DELETE' ? 0 : op.path.startsWith('/v1/mailboxes') ? 2 : 1;

describe('fuzzing every route of the OpenAPI document (e2e against the emulator)', () => {
  let t: SandboxApp;
  let token: string;
  let seeds: Seeds;
  const histogram = new Histogram();
  const byRoute = new Map<string, Histogram>();
  const failures = new Map<string, string>();
  /** Error codes each route answered, to hold against the codes its document lists. */
  const answered = new Map<string, Set<string>>();

  beforeAll(async () => {
    t = await createSandboxApp(authEnv());
    token = await bearer({ sub: 'user-fuzz', wid: 'ws-fuzz' });
    // Microsoft's throttling is tested elsewhere; here a 429 from Graph would only hide our code.
    t.emulator.control.graph.setThrottling({
      mailboxConcurrency: 10_000,
      mailboxRequestsPerWindow: 1_000_000,
    });
    seeds = await seedWorkspace(t, token);
  }, 60_000);
  afterAll(() => t.close());

  /** Puts the seeded identity back on the seeded profile (earlier routes may have moved it). */
  const restore = async () => {
    const { identities, 'sender-profiles': profileId } = seeds.ids;
    await call(t, 'PATCH', `/v1/identities/${identities}`, {
      token,
      body: { senderProfileId: profileId },
    });
  };

  const send = async (route: string, req: FuzzRequest): Promise<void> => {
    const headers = { ...req.headers };
    if (req.auth === 'garbage') headers.authorization = 'Bearer e30.e30.garbage';
    let res: Reply;
    try {
      res = await rawCall(t, req.method, req.path, {
        token: req.auth === 'valid' ? token : undefined,
        raw: req.raw,
        contentType: req.contentType,
        headers,
      });
    } catch (err) {
      failures.set(`${route} network`, `${String(err)} ${req.path.slice(0, 200)}`);
      return;
    }
    record(route, req, res);
  };

  const record = (route: string, req: FuzzRequest, res: Reply) => {
    histogram.add(res.status);
    if (!byRoute.has(route)) byRoute.set(route, new Histogram());
    byRoute.get(route)?.add(res.status);
    if (res.status >= 400) {
      const code = (JSON.parse(res.body) as { error?: { code?: string } }).error?.code ?? '?';
      if (!answered.has(route)) answered.set(route, new Set());
      answered.get(route)?.add(code);
    }
    const problem = contractProblem(res);
    if (problem && !failures.has(`${route} ${problem}`)) {
      const sent = `${req.path.slice(0, 200)} ${String(req.raw ?? '').slice(0, 300)}`;
      failures.set(`${route} ${problem}`, `${sent} → ${res.body.slice(0, 300)}`);
    }
  };

  const inParallel = async (requests: FuzzRequest[], route: string) => {
    for (let i = 0; i < requests.length; i += PARALLEL) {
      await Promise.all(requests.slice(i, i + PARALLEL).map((req) => send(route, req)));
    }
  };

  it(`sends ${RUNS}+ generated requests: none answers 5xx, every error has the contract's body`, async () => {
    const doc = (await call(t, 'GET', '/docs-json')).json<OpenApiDocument>();
    const ops = operationsOf(doc).sort((a, b) => rank(a) - rank(b));
    expect(ops.length).toBeGreaterThanOrEqual(15);
    const perRoute = Math.ceil(RUNS / ops.length);
    for (const [i, op] of ops.entries()) {
      await restore();
      const requests = fc.sample(requestFor(op, seeds), { numRuns: perRoute, seed: SEED + i });
      await inParallel(requests, `${op.method} ${op.path}`);
    }
    const lines = [...byRoute].map(([route, h]) => `  ${route}: ${h.toString()}`);
    console.log(
      `fuzz seed ${SEED}: ${histogram.total} requests; ${histogram.toString()}\n${lines.join('\n')}`,
    );
    expect(Object.fromEntries(failures)).toEqual({});
    expect(histogram.total).toBeGreaterThanOrEqual(RUNS);
    expect(unlistedCodes(doc)).toEqual({});
  }, 300_000);

  /** Issue 15: every error code a route answered is listed for that route in the document. */
  const unlistedCodes = (doc: OpenApiDocument): Record<string, string[]> => {
    const unlisted: Record<string, string[]> = {};
    for (const [route, codes] of answered) {
      const [method, path] = route.split(' ');
      const listed = (doc.paths[path]?.[method.toLowerCase()] as { 'x-error-codes'?: string[] })?.[
        'x-error-codes'
      ];
      const missing = [...codes].filter((code) => !(listed ?? []).includes(code));
      if (missing.length) unlisted[route] = missing;
    }
    return unlisted;
  };

  it('OAuth hops outside the document (authorize, callbacks) redirect or refuse, never 5xx', async () => {
    failures.clear();
    const value = anyString()
      .map(encodePart)
      .filter((s) => s.length < 3_000);
    const hops = fc.sample(
      fc.tuple(
        fc.constantFrom(
          '/v1/microsoft/authorize?attempt=',
          '/v1/microsoft/callback?code=x&state=',
          '/v1/microsoft/callback?error=access_denied&state=',
          '/v1/microsoft/callback?state=abc&code=',
          '/v1/microsoft/admin-consent/callback?admin_consent=True&tenant=x&state=',
        ),
        value,
      ),
      { numRuns: 100, seed: SEED },
    );
    const requests = hops.map(([path, v]) => ({
      method: 'GET',
      path: `${path}${v}`,
      auth: 'none' as const,
      headers: {},
    }));
    await inParallel(requests, 'GET (OAuth hops)');
    const hopStatuses = byRoute.get('GET (OAuth hops)');
    console.log(`OAuth hops, seed ${SEED}: ${hopStatuses?.toString()}`);
    expect(hopStatuses?.total).toBe(requests.length);
    expect(Object.fromEntries(failures)).toEqual({});
  });
});
