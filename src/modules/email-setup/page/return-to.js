/** This page's own address: where Microsoft's callbacks bring the browser back. */
export function returnTo(flow) {
  const url = new URL(location.pathname, location.origin);
  if (flow) url.searchParams.set('flow', flow);
  return url.toString();
}
