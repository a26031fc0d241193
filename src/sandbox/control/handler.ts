import type { Request, Response } from 'express';

/** Runs a control operation; unknown entities and bad input become a 400 with the reason. */
export function handle(op: (req: Request, res: Response) => unknown) {
  return (req: Request, res: Response): void => {
    try {
      const result = op(req, res);
      if (res.headersSent) return;
      if (result === undefined) res.status(204).end();
      else res.json(result);
    } catch (err) {
      res.status(400).json({ error: err instanceof Error ? err.message : String(err) });
    }
  };
}

export function param(req: Request, name: string): string {
  const value = req.params[name];
  return Array.isArray(value) ? value.join('/') : String(value);
}

export function body(req: Request): Record<string, unknown> {
  const value: unknown = req.body;
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
