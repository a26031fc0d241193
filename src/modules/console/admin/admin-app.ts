import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import AdminJS, { Router as AdminRoutes } from 'adminjs';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Dashboard } from '../dashboard.service.js';
import type { StaffPrincipal } from '../staff/staff-auth.service.js';
import { adminOptions } from './admin-options.js';
import { componentsScript } from './dashboard.client.js';
import type { ResourceDef } from './definitions.js';

type Controller = Record<string, (request: unknown, response: Response) => Promise<unknown>>;
type ControllerClass = new (options: { admin: AdminJS }, currentAdmin: unknown) => Controller;

const COMPONENTS_ASSET = '/frontend/assets/components.bundle.js';

/**
 * AdminJS mounted as an Express router. Loaded on first use (it takes about a second to import,
 * which must not delay the service's start). AdminJS's frontend ships prebuilt; the console's
 * own component is compiled with the service; no bundler runs, ever.
 */
export function buildAdminRouter(
  defs: ResourceDef[],
  dashboard: () => Promise<Dashboard>,
): express.Router {
  const admin = new AdminJS(adminOptions(defs, dashboard));
  const router = express.Router();
  const script = componentsScript();
  router.get(COMPONENTS_ASSET, (_req, res) => {
    res.type('text/javascript').set('Cache-Control', 'private, max-age=300').send(script);
  });
  for (const asset of AdminRoutes.assets) {
    if (asset.path === COMPONENTS_ASSET) continue;
    const file = productionBuild(asset.src);
    router.get(asset.path, (_req, res) => {
      res.set('Cache-Control', 'private, max-age=3600').sendFile(file);
    });
  }
  for (const route of AdminRoutes.routes) {
    if (route.action === 'bundleComponents') continue;
    const path = route.path.replace(/{(\w+)}/g, ':$1') || '/';
    const handle = handler(admin, route.Controller as unknown as ControllerClass, route.action);
    if (route.method === 'GET') router.get(path, handle);
    else router.post(path, handle);
  }
  return router;
}

function handler(admin: AdminJS, Controller: ControllerClass, action: string) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      if (!knows(admin, req.params)) {
        res
          .status(404)
          .json({ error: { code: 'not_found', message: 'No such page.', details: [] } });
        return;
      }
      const staff = res.locals.staff as StaffPrincipal;
      const currentAdmin = { ...staff, title: staff.name ?? staff.email };
      const controller = new Controller({ admin }, currentAdmin);
      const request = {
        ...req,
        params: req.params,
        query: req.query,
        payload: req.method === 'POST' ? ((req.body as object | undefined) ?? {}) : {},
        method: req.method.toLowerCase(),
      };
      const result = await controller[action](request, res);
      if (typeof result === 'string')
        res.type('html').send(withNonce(result, res.locals.cspNonce as string));
      else if (result !== undefined) res.json(result);
    } catch (error) {
      next(error);
    }
  };
}

/** The resource and action a URL names exist (AdminJS answers a 500 otherwise). */
function knows(admin: AdminJS, params: Request['params']): boolean {
  if (!params.resourceId) return true;
  const resource = admin.resources.find((r) => r.id() === params.resourceId);
  if (!resource) return false;
  const action = params.action;
  return typeof action !== 'string' || Object.hasOwn(resource.decorate().actions, action);
}

/**
 * AdminJS's page, with our CSP nonce on its inline scripts (so no 'unsafe-inline' for
 * scripts) and without the Google Fonts stylesheet (staff browsers make no third-party calls).
 */
export function withNonce(html: string, nonce: string): string {
  return html
    .replace(/<link[^>]+fonts\.googleapis\.com[^>]*>/g, '')
    .replace(/<script(?=[\s>])/g, `<script nonce="${nonce}"`);
}

/** The minified bundle AdminJS ships next to the development one NODE_ENV would pick. */
function productionBuild(src: string): string {
  const production = src.replace(/\.development\.js$/, '.production.js');
  return resolve(existsSync(production) ? production : src);
}
