import {
  type ActionContext,
  type ActionHandler,
  type ActionRequest,
  type ActionResponse,
  type AdminJSOptions,
  ForbiddenError,
  type PropertyOptions,
  type RecordActionResponse,
  type ResourceOptions,
  type ResourceWithOptions,
} from 'adminjs';
import { DomainError } from '../../../common/errors/domain-error.js';
import type { Dashboard } from '../dashboard.service.js';
import type { StaffPrincipal } from '../staff/staff-auth.service.js';
import { can, type Permission } from '../staff/staff.rules.js';
import { ConsoleResource } from './admin-resource.js';
import { DASHBOARD_COMPONENT_ID } from './dashboard-component.js';
import type { Params, RecordActionDef, ResourceDef } from './definitions.js';

type Access = (context: Pick<ActionContext, 'currentAdmin'>) => boolean;
const allowed =
  (permission: Permission): Access =>
  ({ currentAdmin }) =>
    can(roleOf(currentAdmin), permission);

function roleOf(admin: ActionContext['currentAdmin']): string | undefined {
  const role: unknown = admin?.role;
  return typeof role === 'string' ? role : undefined;
}
const OFF = { isAccessible: false, isVisible: false };

/** AdminJS options for the console: our resources, our dashboard, no AdminJS login. */
export function adminOptions(
  defs: ResourceDef[],
  dashboard: () => Promise<Dashboard>,
): AdminJSOptions {
  return {
    rootPath: '/admin',
    loginPath: '/admin/login',
    logoutPath: '/admin/logout',
    resources: defs.map(resourceWithOptions),
    dashboard: { handler: async () => dashboard(), component: DASHBOARD_COMPONENT_ID },
    branding: {
      companyName: 'ScendCore operations console',
      logo: false,
      withMadeWithLove: false,
    },
    settings: { defaultPerPage: 20 },
    version: { admin: false },
    locale: {
      language: 'en',
      availableLanguages: ['en'],
      translations: { en: translations(defs) },
    },
  };
}

function resourceWithOptions(def: ResourceDef): ResourceWithOptions {
  return { resource: new ConsoleResource(def), options: resourceOptions(def) };
}

function resourceOptions(def: ResourceDef): ResourceOptions {
  const see = allowed(def.permission);
  const write = def.editable ? { isAccessible: allowed('manage_staff') } : OFF;
  return {
    id: def.id,
    navigation: { name: def.group, icon: undefined },
    titleProperty: def.titleField,
    sort: { sortBy: def.sort.field, direction: def.sort.direction },
    listProperties: def.fields.filter((f) => f.list).map((f) => f.path),
    showProperties: def.fields.filter((f) => f.show !== false).map((f) => f.path),
    filterProperties: def.fields.filter((f) => f.filter).map((f) => f.path),
    editProperties: def.fields.filter((f) => f.edit).map((f) => f.path),
    properties: propertyOptions(def),
    actions: {
      list: { isAccessible: see },
      show: { isAccessible: see },
      search: { isAccessible: see },
      new: write,
      edit: write,
      delete: OFF,
      bulkDelete: OFF,
      ...Object.fromEntries(def.actions.map((action) => [action.name, recordAction(action)])),
    },
  };
}

function propertyOptions(def: ResourceDef): Record<string, PropertyOptions> {
  const options: Record<string, PropertyOptions> = {};
  for (const field of def.fields) {
    const option: PropertyOptions = {};
    if (field.values) option.availableValues = field.values.map((v) => ({ value: v, label: v }));
    if (field.type === 'password') {
      option.isVisible = { list: false, show: false, filter: false, edit: true };
      option.description = 'Leave empty to keep the current password (12 characters at least).';
    }
    if (field.type === 'json')
      option.isVisible = { list: false, show: true, filter: false, edit: false };
    options[field.path] = option;
  }
  return options;
}

/**
 * A record action: allowed by role, offered when the record is in the right state, run through
 * the module's service; a domain refusal (409, 503 …) becomes an error notice, not a crash.
 */
function recordAction(action: RecordActionDef) {
  const allow = allowed(action.permission);
  const handler: ActionHandler<RecordActionResponse> = async (
    _request: ActionRequest,
    _response: unknown,
    context: ActionContext,
  ) => {
    const { record, currentAdmin, resource } = context;
    if (!record || !allow({ currentAdmin })) throw new ForbiddenError();
    const staff = currentAdmin as unknown as StaffPrincipal;
    try {
      const message = await action.run(staff, record.params as Params);
      const fresh = (await resource.findOne(String(record.id()), context)) ?? record;
      return { record: fresh.toJSON(currentAdmin), notice: { message, type: 'success' } };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return {
        record: record.toJSON(currentAdmin),
        notice: { message: error.message, type: 'error' },
      };
    }
  };
  return {
    actionType: 'record' as const,
    component: false as const,
    guard: action.confirm,
    isAccessible: allow,
    isVisible: ({ currentAdmin, record }: ActionContext) =>
      allow({ currentAdmin }) && (!action.when || action.when((record?.params ?? {}) as Params)),
    handler: handler as ActionHandler<ActionResponse>,
  };
}

function translations(defs: ResourceDef[]) {
  const resources = Object.fromEntries(
    defs.map((def) => [
      def.id,
      {
        properties: Object.fromEntries(
          def.fields.map((f) => [f.path, f.label ?? humanize(f.path)]),
        ),
        actions: Object.fromEntries(def.actions.map((a) => [a.name, a.label])),
      },
    ]),
  );
  const labels = Object.fromEntries(defs.map((def) => [def.id, def.label]));
  return { labels: { ...labels, navigation: 'Console', dashboard: 'Dashboard' }, resources };
}

/** `statusReasonSince` → "Status reason since", `workspaceId` → "Workspace". */
export function humanize(path: string): string {
  const words = path
    .replace(/Id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return path === 'id' ? 'ID' : words.charAt(0).toUpperCase() + words.slice(1);
}
