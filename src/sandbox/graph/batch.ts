import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.js';
import { errors } from './errors.js';
import type { LoopbackRequest } from './loopback.js';
import { graphRuntime } from './runtime.js';

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * `POST /v1.0/$batch`: up to 20 requests, each run through the emulator's own HTTP pipeline
 * (so auth, faults and throttling apply per item), independent ones concurrently, `dependsOn`
 * ones after their dependencies (424 when a dependency failed).
 */
export function batchRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.post(/^\/v1\.0\/\$batch\/?$/i, (req, res) => batch(ctx, req, res));
  return router;
}

async function batch(ctx: EmulatorContext, req: Request, res: Response): Promise<void> {
  const items = parseBatch(req.body, graphRuntime(ctx).settings.maxBatchRequests);
  const results = new Map<string, Promise<BatchResponse>>();
  for (const item of items) {
    const dependencies = item.dependsOn.map((id) => results.get(id) as Promise<BatchResponse>);
    results.set(
      item.id,
      runAfter(dependencies, () => execute(ctx, req, item), item.id),
    );
  }
  const responses = await Promise.all(
    items.map((item) => results.get(item.id) as Promise<BatchResponse>),
  );
  res.json({ responses });
}

function parseBatch(raw: unknown, max: number): BatchItem[] {
  const requests = (raw as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) throw errors.badRequest('Invalid batch payload format.');
  if (requests.length > max)
    throw errors.badRequest(`Number of requests inside batch exceeds the limit of ${max}.`);
  const seen = new Set<string>();
  return requests.map((entry: unknown) => {
    const item = parseItem(entry);
    if (seen.has(item.id))
      throw errors.badRequest(`Batch request contains a duplicate id '${item.id}'.`);
    const missing = item.dependsOn.find((d) => !seen.has(d));
    if (missing)
      throw errors.badRequest(
        `Request '${item.id}' depends on '${missing}', which is not an earlier request of the batch.`,
      );
    seen.add(item.id);
    return item;
  });
}

function parseItem(entry: unknown): BatchItem {
  const e = (entry ?? {}) as Record<string, unknown>;
  if (
    typeof e.id !== 'string' ||
    e.id === '' ||
    typeof e.method !== 'string' ||
    typeof e.url !== 'string'
  ) {
    throw errors.badRequest("Every batch request needs 'id', 'method' and 'url'.");
  }
  const headers = Object.fromEntries(
    Object.entries((e.headers ?? {}) as Record<string, unknown>).map(([k, v]) => [
      k.toLowerCase(),
      String(v),
    ]),
  );
  const dependsOn = Array.isArray(e.dependsOn) ? e.dependsOn.map(String) : [];
  return { id: e.id, method: e.method.toUpperCase(), url: e.url, headers, body: e.body, dependsOn };
}

async function runAfter(
  dependencies: Promise<BatchResponse>[],
  run: () => Promise<BatchResponse>,
  id: string,
): Promise<BatchResponse> {
  const done = await Promise.all(dependencies);
  const failed = done.find((d) => d.status < 200 || d.status >= 300);
  if (!failed) return run();
  return itemError(
    id,
    424,
    'FailedDependency',
    `Dependency '${failed.id}' failed; request not executed.`,
  );
}

async function execute(
  ctx: EmulatorContext,
  req: Request,
  item: BatchItem,
): Promise<BatchResponse> {
  if (/^[a-z]+:\/\//i.test(item.url) || /^\/?\$batch/i.test(item.url.replace(/^\/?v1\.0\//i, ''))) {
    return itemError(
      item.id,
      400,
      'BadRequest',
      `Invalid request URL '${item.url}': batch requests take relative URLs and cannot nest $batch.`,
    );
  }
  const answer = await graphRuntime(ctx).loopback.send(ctx.baseUrl, req, toRequest(req, item));
  return {
    id: item.id,
    status: answer.status,
    headers: answer.headers,
    ...bodyOf(answer.headers, answer.text),
  };
}

function toRequest(req: Request, item: BatchItem): LoopbackRequest {
  const path = `/v1.0/${item.url.replace(/^\/+/, '').replace(/^v1\.0\//i, '')}`;
  const headers: Record<string, string> = { 'client-request-id': randomUUID(), ...item.headers };
  const authorization = req.get('authorization');
  if (authorization && !headers.authorization) headers.authorization = authorization;
  if (item.body === undefined || item.body === null) return { method: item.method, path, headers };
  const json = !headers['content-type'] || /json/i.test(headers['content-type']);
  if (!headers['content-type']) headers['content-type'] = 'application/json';
  const body = json ? JSON.stringify(item.body) : String(item.body);
  return { method: item.method, path, headers, body };
}

function bodyOf(headers: Record<string, string>, text: string): { body?: unknown } {
  if (text === '') return {};
  const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  if (!/json/i.test(type)) return { body: text };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { body: text };
  }
}

function itemError(id: string, status: number, code: string, message: string): BatchResponse {
  const requestId = randomUUID();
  const date = new Date().toISOString().replace(/\.\d+Z$/, '');
  return {
    id,
    status,
    headers: { 'Content-Type': 'application/json' },
    body: {
      error: {
        code,
        message,
        innerError: { date, 'request-id': requestId, 'client-request-id': requestId },
      },
    },
  };
}
