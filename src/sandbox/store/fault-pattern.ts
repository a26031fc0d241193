/**
 * A fault rule's path pattern as a regular expression: `*` matches one path segment (or part of
 * it), `**` any number of segments; a trailing slash is optional; case-insensitive.
 */
export function compilePattern(pattern: string): RegExp {
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}/?$`, 'i');
}
