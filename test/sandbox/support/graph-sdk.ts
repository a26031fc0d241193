import {
  Client,
  MiddlewareFactory,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * The SDK's last middleware calls the global `fetch`. Node 24's built-in fetch bundles undici 7
 * and rejects an undici 8 `Agent` as dispatcher ("invalid onRequestStart method"), so the
 * final hop uses undici's own fetch with a dispatcher that trusts the emulator's CA.
 */
class UndiciFetchHandler implements Middleware {
  constructor(private readonly agent: Agent) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const init = context.options as Parameters<typeof undiciFetch>[1];
    context.response = (await undiciFetch(url, {
      ...init,
      dispatcher: this.agent,
    })) as unknown as Response;
  }
}

export function graphClientFor(
  graphBaseUrl: string,
  caCertPem: string,
  accessToken: () => string,
): { client: Client; agent: Agent } {
  const agent = new Agent({ connect: { ca: caCertPem } });
  const authProvider = { getAccessToken: async () => accessToken() };
  const chain = MiddlewareFactory.getDefaultMiddlewareChain(authProvider);
  chain.splice(chain.length - 1, 1, new UndiciFetchHandler(agent));
  const client = Client.initWithMiddleware({
    baseUrl: graphBaseUrl,
    customHosts: new Set([new URL(graphBaseUrl).hostname]),
    middleware: chain,
  });
  return { client, agent };
}
