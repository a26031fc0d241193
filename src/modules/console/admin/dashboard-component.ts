/** The AdminJS component id of the console's dashboard (registered by dashboard.client.ts). */
export const DASHBOARD_COMPONENT_ID = 'ConsoleDashboard';
