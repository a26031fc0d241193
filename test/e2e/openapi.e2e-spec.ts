import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { call, createSandboxApp, type SandboxApp } from '../support/sandbox-app.js';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, { properties?: Record<string, { format?: string }> }> };
};

/** Issue 15: an OpenAPI document a frontend can build on. */
describe('the OpenAPI document (/docs-json)', () => {
  let t: SandboxApp;
  let doc: Doc;
  beforeAll(async () => {
    t = await createSandboxApp();
    doc = (await call(t, 'GET', '/docs-json')).json<Doc>();
  });
  afterAll(() => t.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );

  it('is OpenAPI 3 and every $ref resolves', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const name = ref.slice('"#/components/schemas/'.length, -1);
      expect(doc.components.schemas[name]).toBeDefined();
    }
  });

  it('every operation has a summary, its error codes, and an error response per status', () => {
    for (const { key, op } of operations()) {
      expect([key, typeof op.summary]).toEqual([key, 'string']);
      const codes = op['x-error-codes'] as string[];
      expect(codes.length).toBeGreaterThan(0);
      const responses = op.responses as Record<string, { description: string }>;
      for (const code of codes) {
        const documented = Object.values(responses).some((r) => r.description.includes(code));
        expect([key, code, documented]).toEqual([key, code, true]);
      }
    }
  });

  it('documents the sign-in hops, one Idempotency-Key header, and dates as date-time', () => {
    expect(doc.paths['/v1/microsoft/authorize']?.get).toBeDefined();
    expect(doc.paths['/v1/microsoft/callback']?.get).toBeDefined();
    const send = doc.paths['/v1/messages'].post as { parameters: { in: string; name: string }[] };
    const headers = send.parameters.filter((p) => p.in === 'header');
    expect(headers.map((h) => h.name.toLowerCase())).toEqual(['idempotency-key']);
    const message = doc.components.schemas.OutboundMessageResponse.properties ?? {};
    expect(message.createdAt.format).toBe('date-time');
    expect(message.sentAt.format).toBe('date-time');
  });
});
