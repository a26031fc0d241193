import type { NextFunction, Request, Response as ExpressResponse } from 'express';

const LIMIT = 64 * 1024;

/**
 * AdminJS's forms post multipart/form-data (the JSON and urlencoded parsers skip it). Fields
 * only, at most 64 KiB: the console uploads no files. Parsed with the platform's FormData.
 */
export async function multipartFields(
  req: Request,
  res: ExpressResponse,
  next: NextFunction,
): Promise<void> {
  const type = req.get('content-type') ?? '';
  if (req.method !== 'POST' || !type.toLowerCase().startsWith('multipart/form-data')) return next();
  const body = await readLimited(req, LIMIT);
  if (!body) {
    res
      .status(413)
      .json({ error: { code: 'payload_too_large', message: 'The form is too large.' } });
    return;
  }
  const form = await new Response(body, { headers: { 'content-type': type } }).formData();
  const fields: Record<string, string> = {};
  for (const [key, value] of form) {
    if (typeof value !== 'string') {
      res
        .status(400)
        .json({ error: { code: 'validation_failed', message: 'Files are not accepted.' } });
      return;
    }
    fields[key] = value;
  }
  req.body = fields;
  next();
}

async function readLimited(req: Request, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
