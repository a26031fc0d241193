/**
 * The console's dashboard, a React component that runs in the browser. It is compiled with the
 * service (no bundler at start or request time) and served as components.bundle.js through
 * Function#toString, so it must use nothing outside its own body: React and AdminJS's ApiClient
 * come from the globals AdminJS's prebuilt bundles define.
 */
export function installConsoleComponents(): void {
  interface Card {
    key: string;
    label: string;
    count: number;
    href: string;
    tone: 'ok' | 'warn' | 'bad';
    detail?: string;
    detailHref?: string;
  }
  interface State {
    cards: Card[];
    generatedAt?: string;
    error?: string;
  }
  type Node = unknown;
  interface ReactLike {
    createElement(type: unknown, props: Record<string, unknown> | null, ...children: Node[]): Node;
    useState<T>(initial: T): [T, (next: T) => void];
    useEffect(effect: () => void | (() => void), deps: unknown[]): void;
  }
  interface Globals {
    React: ReactLike;
    ReactRouterDOM?: { Link?: unknown };
    AdminJS: {
      UserComponents: Record<string, unknown>;
      ApiClient: new () => {
        getDashboard(): Promise<{ data: { cards?: Card[]; generatedAt?: string } }>;
      };
    };
  }
  const g = globalThis as unknown as Globals;
  const React = g.React;
  const h = (type: unknown, props: Record<string, unknown> | null, ...children: Node[]) =>
    React.createElement(type, props, ...children);
  const Link = g.ReactRouterDOM?.Link;
  const COLORS = { ok: '#2b8a3e', warn: '#d9480f', bad: '#c92a2a' };

  const link = (href: string, props: Record<string, unknown>, ...children: Node[]) =>
    Link ? h(Link, { to: href, ...props }, ...children) : h('a', { href, ...props }, ...children);

  function CardView({ card }: { card: Card }): Node {
    return h(
      'div',
      {
        'data-testid': `dashboard-${card.key}`,
        style: {
          background: '#fff',
          borderRadius: 6,
          padding: '18px 20px',
          boxShadow: '0 1px 4px rgba(20,20,60,.10)',
          borderLeft: `4px solid ${COLORS[card.tone]}`,
        },
      },
      link(
        card.href,
        { style: { textDecoration: 'none', color: 'inherit', display: 'block' } },
        h(
          'div',
          {
            'data-testid': 'count',
            style: { fontSize: 30, fontWeight: 600, color: COLORS[card.tone] },
          },
          String(card.count),
        ),
        h('div', { style: { fontSize: 14, marginTop: 6, color: '#3a3a55' } }, card.label),
      ),
      card.detail
        ? link(
            card.detailHref ?? card.href,
            {
              'data-testid': 'detail',
              style: { fontSize: 12, color: '#6b6b88', display: 'block', marginTop: 8 },
            },
            card.detail,
          )
        : null,
    );
  }

  function ConsoleDashboard(): Node {
    const [state, setState] = React.useState<State>({ cards: [] });
    React.useEffect(() => {
      const load = () =>
        new g.AdminJS.ApiClient().getDashboard().then(
          (res) => setState({ cards: res.data.cards ?? [], generatedAt: res.data.generatedAt }),
          () => setState({ cards: [], error: 'The counts could not be loaded.' }),
        );
      void load();
      const timer = setInterval(() => void load(), 30_000);
      return () => clearInterval(timer);
    }, []);
    const at = state.generatedAt ? new Date(state.generatedAt).toLocaleTimeString() : '…';
    return h(
      'section',
      { 'data-testid': 'console-dashboard', style: { padding: 32, fontFamily: 'inherit' } },
      h('h1', { style: { fontSize: 24, margin: '0 0 4px' } }, 'Where to look'),
      h(
        'p',
        { style: { color: '#6b6b88', margin: '0 0 24px', fontSize: 13 } },
        state.error ?? `Counts as of ${at}; refreshed every 30 seconds. Each links to its list.`,
      ),
      h(
        'div',
        {
          style: {
            display: 'grid',
            gridTemplateColumns: 'repeat(auto-fill, minmax(230px, 1fr))',
            gap: 16,
          },
        },
        ...state.cards.map((card) => h(CardView, { key: card.key, card })),
      ),
    );
  }

  // DASHBOARD_COMPONENT_ID (dashboard-component.ts): this function cannot import it.
  g.AdminJS.UserComponents.ConsoleDashboard = ConsoleDashboard;
}

/** components.bundle.js: the function above, called once the AdminJS bundles have loaded. */
export function componentsScript(): string {
  return `(${installConsoleComponents.toString()})();\n`;
}
