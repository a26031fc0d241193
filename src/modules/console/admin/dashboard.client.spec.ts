import { describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import { DASHBOARD_COMPONENT_ID } from './dashboard-component.js';
import { componentsScript } from './dashboard.client.js';

describe('components.bundle.js', () => {
  it('is self-contained: run with only the browser globals, it registers the dashboard', () => {
    const calls: unknown[] = [];
    const globals = {
      React: {
        createElement: (...args: unknown[]) => calls.push(args),
        useState: (initial: unknown) => [initial, () => undefined],
        useEffect: () => undefined,
      },
      AdminJS: { UserComponents: {} as Record<string, unknown>, ApiClient: class {} },
    };
    runInNewContext(componentsScript(), { ...globals });
    const dashboard = globals.AdminJS.UserComponents[DASHBOARD_COMPONENT_ID];
    expect(typeof dashboard).toBe('function');
    (dashboard as () => unknown)();
    expect(calls.length).toBeGreaterThan(0);
  });
});
